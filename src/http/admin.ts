/**
 * Extension: `/api/admin/*`, the operators' routes, for whoever holds
 * `ADMIN_TOKEN`: read the reports and resolve them, look a user up (by id,
 * username or email), make one of the app's identity provider, suspend them or
 * lift it, delete their account, take a message down (core/moderation.ts,
 * core/external_auth.ts and core/accounts.ts say what each does).
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { Hono, type MiddlewareHandler } from "hono";
import { AccessError, AuthError, type Core, parseWith } from "../core/mod.ts";
import {
  externalIdSchema,
  findUserQuery,
  listReportsQuery,
  provisionSchema,
  resolveReportSchema,
  suspensionSchema,
} from "../protocol/mod.ts";
import { jsonBody, query } from "./_validate.ts";
import { externalAuthOf } from "./_auth.ts";

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Refuses requests without `Authorization: Bearer <adminToken>` (`unauthorized`);
 * without an admin token configured the admin routes do not exist (`not_found`).
 */
export function requireAdmin(adminToken: string | undefined): MiddlewareHandler {
  // Digests of equal length, compared in constant time: the answer's timing
  // tells nothing of how much of a guess was right.
  const expected = adminToken === undefined ? undefined : digest(adminToken);
  return async (c, next) => {
    if (!expected) throw new AccessError("not_found", "No such route");
    const token = c.req.header("Authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? "";
    if (!timingSafeEqual(digest(token), expected)) {
      throw new AuthError("Invalid or missing admin token");
    }
    await next();
  };
}

/** The operators' routes, mounted at `/api/admin`. */
export function adminRoutes(core: Core, options: { adminToken?: string }): Hono {
  const app = new Hono();
  app.use("*", requireAdmin(options.adminToken));

  app.get("/reports", async (c) => {
    return c.json(await core.reports.list(query(c, listReportsQuery)));
  });

  app.put("/reports/:reportId/resolution", async (c) => {
    const input = await jsonBody(c, resolveReportSchema);
    return c.json({ report: await core.reports.resolve(c.req.param("reportId"), input) });
  });

  app.get("/users", async (c) => {
    const { login } = query(c, findUserQuery);
    return c.json({ user: await core.moderation.findUser(login) });
  });

  app.get("/users/:userId", async (c) => {
    return c.json({ user: await core.moderation.user(c.req.param("userId")) });
  });

  app.put("/users/:userId/suspension", async (c) => {
    const { reason } = await jsonBody(c, suspensionSchema);
    return c.json({ user: await core.moderation.suspend(c.req.param("userId"), reason) });
  });

  app.delete("/users/:userId/suspension", async (c) => {
    await core.moderation.lift(c.req.param("userId"));
    return c.body(null, 204);
  });

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
    await core.accounts.deleteForOperators(c.req.param("userId"));
    return c.body(null, 204);
  });

  app.delete("/messages/:id", async (c) => {
    await core.moderation.takeDown(c.req.param("id"));
    return c.body(null, 204);
  });

  return app;
}
