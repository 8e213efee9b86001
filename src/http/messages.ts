/**
 * `/api/messages/:id`: edit and delete, the same paths as the socket events, pin
 * and star, and the message's receipts per recipient.
 * @module
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { Core } from "../core/mod.ts";
import { editBodySchema } from "../protocol/mod.ts";
import { type AuthEnv, callerId, requireAuth } from "./_auth.ts";
import { jsonBody } from "./_validate.ts";

/**
 * The message routes; `options.auth` says who may call them (default: a
 * user's token, `requireAuth`).
 */
export function messageRoutes(
  core: Core,
  options: { auth?: MiddlewareHandler<AuthEnv> } = {},
): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use("*", options.auth ?? requireAuth(core));

  app.put("/:id", async (c) => {
    const { content } = await jsonBody(c, editBodySchema);
    return c.json({ message: await core.messages.edit(callerId(c), c.req.param("id"), content) });
  });

  app.delete("/:id", async (c) => {
    await core.messages.remove(callerId(c), c.req.param("id"));
    return c.body(null, 204);
  });

  app.put("/:id/star", async (c) => {
    return c.json({ star: await core.stars.star(callerId(c), c.req.param("id")) });
  });

  app.delete("/:id/star", async (c) => {
    await core.stars.unstar(callerId(c), c.req.param("id"));
    return c.body(null, 204);
  });

  app.put("/:id/pin", async (c) => {
    return c.json({ chat: await core.pins.pin(callerId(c), c.req.param("id")) });
  });

  app.delete("/:id/pin", async (c) => {
    return c.json({ chat: await core.pins.unpin(callerId(c), c.req.param("id")) });
  });

  app.get("/:id/receipts", async (c) => {
    return c.json({ receipts: await core.messages.receipts(callerId(c), c.req.param("id")) });
  });

  return app;
}
