/**
 * Accounts of the app's identity provider made and deleted by a backend: the
 * operators' (`/api/admin`) and the app's own (`/api/app`) mount the same
 * routes.
 * @module
 */
import { Hono } from "hono";
import { type Core, parseWith } from "../core/mod.ts";
import { externalIdSchema, provisionSchema } from "../protocol/mod.ts";
import { jsonBody } from "./_validate.ts";
import { externalAuthOf } from "./_auth.ts";

/**
 * `PUT` and `DELETE /users/:userId`; with `appOnly`, the app's backend deletes
 * only accounts of its provider (`AccountService.deleteForOperators`).
 */
export function providerAccountRoutes(core: Core, options: { appOnly: boolean }): Hono {
  const app = new Hono();

  // An account of the app's identity provider, made (201) or brought in step (200)
  // before its user's first login, so that others can start a chat with them.
  app.put("/users/:userId", async (c) => {
    const external = externalAuthOf(core);
    const subject = parseWith(externalIdSchema, c.req.param("userId"));
    const input = await jsonBody(c, provisionSchema);
    const { user, created } = await external.provision({ subject, ...input });
    return c.json({ user: await core.moderation.user(user.id) }, created ? 201 : 200);
  });

  app.delete("/users/:userId", async (c) => {
    await core.accounts.deleteForOperators(c.req.param("userId"), options);
    return c.body(null, 204);
  });

  return app;
}
