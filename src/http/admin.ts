/**
 * Extension: `/api/admin/*`, the operators' routes, for whoever holds
 * `ADMIN_TOKEN`: read the reports and resolve them, look a user up (by id,
 * username or email), make one of the app's identity provider, suspend them or
 * lift it, delete their account, take a message down (core/moderation.ts,
 * core/external_auth.ts and core/accounts.ts say what each does).
 * @module
 */
import { Hono } from "hono";
import type { Core } from "../core/mod.ts";
import {
  findUserQuery,
  listReportsQuery,
  resolveReportSchema,
  suspensionSchema,
} from "../protocol/mod.ts";
import { jsonBody, query } from "./_validate.ts";
import { requireSecret } from "./_bearer_secret.ts";
import { providerAccountRoutes } from "./_provider_accounts.ts";

/** The operators' routes, mounted at `/api/admin`. */
export function adminRoutes(core: Core, options: { adminToken?: string }): Hono {
  const app = new Hono();
  app.use("*", requireSecret(options.adminToken, "admin token"));

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

  app.route("/", providerAccountRoutes(core, { appOnly: false }));

  app.delete("/messages/:id", async (c) => {
    await core.moderation.takeDown(c.req.param("id"));
    return c.body(null, 204);
  });

  return app;
}
