/**
 * Extension: group invite links (core/invites.ts says when a link works).
 * `/api/chats/:chatId/invite` is the group's link, for members who may add
 * members; `/api/invites/:code` is what a holder of the code sees and joins by.
 * @module
 */
import { Hono } from "hono";
import type { Core } from "../core/mod.ts";
import { parseWith } from "../core/validate.ts";
import { inviteCodeSchema } from "../protocol/mod.ts";
import { type AuthEnv, callerId, requireAuth } from "./_auth.ts";

/** A group's link, mounted with the chat routes (whose middleware authenticates). */
export function groupInviteRoutes(core: Core): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.post("/:chatId/invite", async (c) => {
    return c.json({ invite: await core.invites.create(callerId(c), c.req.param("chatId")) }, 201);
  });

  app.get("/:chatId/invite", async (c) => {
    return c.json({ invite: await core.invites.get(callerId(c), c.req.param("chatId")) });
  });

  app.delete("/:chatId/invite", async (c) => {
    await core.invites.revoke(callerId(c), c.req.param("chatId"));
    return c.body(null, 204);
  });

  return app;
}

/** Previewing and joining by a code, mounted at `/api/invites`. */
export function inviteRoutes(core: Core): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use("*", requireAuth(core));
  const code = (param: string) => parseWith(inviteCodeSchema, param);

  app.get("/:code", async (c) => {
    return c.json({ invite: await core.invites.preview(callerId(c), code(c.req.param("code"))) });
  });

  app.post("/:code/join", async (c) => {
    return c.json({ chat: await core.invites.join(callerId(c), code(c.req.param("code"))) });
  });

  return app;
}
