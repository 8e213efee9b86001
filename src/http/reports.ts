/**
 * Extension: `POST /api/reports`, a user reporting another, or a message of
 * theirs, to the operators (core/reports.ts says what a report keeps; the
 * operators read them at `/api/admin/reports`, see admin.ts).
 * @module
 */
import { Hono } from "hono";
import type { Core } from "../core/mod.ts";
import { reportSchema } from "../protocol/mod.ts";
import { type AuthEnv, callerId, requireAuth } from "./_auth.ts";
import { jsonBody } from "./_validate.ts";

/** The report route, mounted at `/api`. */
export function reportRoutes(core: Core): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.post("/reports", requireAuth(core), async (c) => {
    const input = await jsonBody(c, reportSchema);
    const { report, created } = await core.reports.report(callerId(c), input);
    return c.json({ report }, created ? 201 : 200);
  });

  return app;
}
