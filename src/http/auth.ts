/**
 * `/api/auth`: register, login, me, profile, refresh, logout.
 * @module
 */
import { Hono } from "hono";
import type { Core } from "../core/mod.ts";
import { loginSchema, profileSchema, registerSchema } from "../protocol/mod.ts";
import { type AuthEnv, callerId, requireAuth } from "./_auth.ts";
import { jsonBody } from "./_validate.ts";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

// The peer's address. Behind a proxy every client shares the proxy's address, so set
// the per-address login limit with that in mind.
function clientAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/** The auth routes. */
export function authRoutes(core: Core): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const auth = requireAuth(core);

  app.post("/register", async (c) => {
    const { token, user } = await core.auth.register(await jsonBody(c, registerSchema));
    return c.json({ token, user: await core.users.viewOne(user.id, user.id) }, 201);
  });

  app.post("/login", async (c) => {
    const { token, user } = await core.auth.login(await jsonBody(c, loginSchema), clientAddress(c));
    return c.json({ token, user: await core.users.viewOne(user.id, user.id) });
  });

  app.get(
    "/me",
    auth,
    async (c) => c.json({ user: await core.users.viewOne(callerId(c), callerId(c)) }),
  );

  app.put("/profile", auth, async (c) => {
    await core.auth.updateProfile(callerId(c), await jsonBody(c, profileSchema));
    return c.json({ user: await core.users.viewOne(callerId(c), callerId(c)) });
  });

  app.post("/refresh", auth, async (c) => {
    const { token, user } = await core.auth.refresh(c.get("principal"));
    return c.json({ token, user: await core.users.viewOne(user.id, user.id) });
  });

  app.post("/logout", auth, async (c) => {
    await core.auth.logout(c.get("principal"));
    return c.body(null, 204);
  });

  return app;
}
