/**
 * Extension: `POST /api/reports` for users, and `GET /api/admin/reports` for the
 * operators, who hold `ADMIN_TOKEN` (core/reports.ts says what a report keeps).
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { Hono, type MiddlewareHandler } from "hono";
import { AccessError, AuthError, type Core } from "../core/mod.ts";
import { listReportsQuery, reportSchema } from "../protocol/mod.ts";
import { type AuthEnv, callerId, requireAuth } from "./_auth.ts";
import { jsonBody, query } from "./_validate.ts";

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

/** The report routes, mounted at `/api`. */
export function reportRoutes(core: Core, options: { adminToken?: string }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.post("/reports", requireAuth(core), async (c) => {
    const input = await jsonBody(c, reportSchema);
    const { report, created } = await core.reports.report(callerId(c), input);
    return c.json({ report }, created ? 201 : 200);
  });

  app.get("/admin/reports", requireAdmin(options.adminToken), async (c) => {
    const { limit, cursor } = query(c, listReportsQuery);
    return c.json(await core.reports.list({ limit, cursor }));
  });

  return app;
}
