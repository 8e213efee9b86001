/**
 * `/api/users`, `/api/friends`, `/api/blocks` and the user's `/api/starred`.
 * @module
 */
import { Hono } from "hono";
import type { Core } from "../core/mod.ts";
import { starredQuery } from "../protocol/mod.ts";
import { type AuthEnv, callerId, requireAuth } from "./_auth.ts";
import { query } from "./_validate.ts";

/** The user, friend and block routes. */
export function userRoutes(core: Core): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  // Per route, not use("*"): this app is mounted at /api beside the other routes.
  const auth = requireAuth(core);

  app.get(
    "/users/:id",
    auth,
    async (c) => c.json({ user: await core.users.viewOne(callerId(c), c.req.param("id")) }),
  );

  app.get("/users/by-username/:username", auth, async (c) => {
    const user = await core.users.findByUsername(callerId(c), c.req.param("username"));
    return c.json({ user });
  });

  app.get(
    "/starred",
    auth,
    async (c) => c.json(await core.stars.list(callerId(c), query(c, starredQuery))),
  );

  app.get(
    "/friends",
    auth,
    async (c) => c.json({ friends: await core.users.friends(callerId(c)) }),
  );

  app.post("/friends/:userId", auth, async (c) => {
    await core.users.addFriend(callerId(c), c.req.param("userId"));
    return c.body(null, 204);
  });

  app.delete("/friends/:userId", auth, async (c) => {
    await core.users.removeFriend(callerId(c), c.req.param("userId"));
    return c.body(null, 204);
  });

  // Extensions: blocking (core/blocks.ts says what a block stops).
  app.get("/blocks", auth, async (c) => c.json({ users: await core.blocks.list(callerId(c)) }));

  app.post("/blocks/:userId", auth, async (c) => {
    await core.blocks.block(callerId(c), c.req.param("userId"));
    return c.body(null, 204);
  });

  app.delete("/blocks/:userId", auth, async (c) => {
    await core.blocks.unblock(callerId(c), c.req.param("userId"));
    return c.body(null, 204);
  });

  return app;
}
