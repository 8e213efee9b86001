/**
 * `/api/auth`: register, login (with a password or through the app's identity
 * provider), me (read, export or delete the account), profile, password,
 * refresh, the user's logins (list, end one), logout (one login or all).
 * @module
 */
import { Hono } from "hono";
import type { Core, Logger, LoginClient } from "../core/mod.ts";
import {
  accountDeleteSchema,
  externalLoginSchema,
  loginSchema,
  passwordChangeSchema,
  privacySchema,
  profileSchema,
  registerSchema,
} from "../protocol/mod.ts";
import { type AuthEnv, callerId, externalAuthOf, requireAuth, sessionOf } from "./_auth.ts";
import { jsonBody } from "./_validate.ts";
import type { Context } from "hono";
import { clientAddressOf } from "./_client_address.ts";

/** Options of the auth routes. */
export interface AuthRouteOptions {
  /** Proxies in front that append to X-Forwarded-For (see `_client_address.ts`). */
  trustedProxies: number;
  logger: Logger;
}

/** The auth routes. */
export function authRoutes(core: Core, options: AuthRouteOptions): Hono<AuthEnv> {
  const address = clientAddressOf(options);
  // Who is logging in, for the login and sign-up limits and the user's list of logins.
  const loginClient = (c: Context): LoginClient => ({
    address: address(c),
    agent: c.req.header("user-agent"),
  });
  const app = new Hono<AuthEnv>();
  const auth = requireAuth(core);

  app.post("/register", async (c) => {
    return c.json(
      await sessionOf(
        core,
        await core.auth.register(await jsonBody(c, registerSchema), loginClient(c)),
      ),
      201,
    );
  });

  app.post("/login", async (c) => {
    const input = await jsonBody(c, loginSchema);
    return c.json(await sessionOf(core, await core.auth.login(input, loginClient(c))));
  });

  // Extension: a login through the app's identity provider (core/external_auth.ts);
  // 201 when it made the account.
  app.post("/external", async (c) => {
    const external = externalAuthOf(core);
    const { token } = await jsonBody(c, externalLoginSchema);
    const { created, ...login } = await external.login(token, loginClient(c));
    return c.json(await sessionOf(core, login), created ? 201 : 200);
  });

  app.get(
    "/me",
    auth,
    async (c) => c.json({ user: await core.users.viewOne(callerId(c), callerId(c)) }),
  );

  // Extension: deleting the account (core/accounts.ts says what goes and what stays).
  app.delete("/me", auth, async (c) => {
    const { password } = await jsonBody(c, accountDeleteSchema);
    await core.accounts.delete(c.get("principal"), password, address(c));
    return c.body(null, 204);
  });

  // Extension: a copy of the user's data, one JSON record per line, read as it is sent.
  app.get("/me/export", auth, async (c) => {
    const records = await core.exports.open(c.get("principal"));
    const encoder = new TextEncoder();
    const lines = ReadableStream.from(records).pipeThrough(
      new TransformStream<unknown, Uint8Array>({
        transform: (record, out) => out.enqueue(encoder.encode(`${JSON.stringify(record)}\n`)),
      }),
    );
    return new Response(lines, {
      headers: {
        "Content-Type": "application/x-ndjson",
        "Content-Disposition": 'attachment; filename="chat-export.ndjson"',
      },
    });
  });

  app.put("/profile", auth, async (c) => {
    await core.users.updateProfile(callerId(c), await jsonBody(c, profileSchema));
    return c.json({ user: await core.users.viewOne(callerId(c), callerId(c)) });
  });

  // Extension: hiding being online and last seen from everyone, and read receipts.
  app.put("/privacy", auth, async (c) => {
    const { hidePresence, readReceipts } = await jsonBody(c, privacySchema);
    if (hidePresence !== undefined) await core.presence.setHidden(callerId(c), hidePresence);
    if (readReceipts !== undefined) await core.users.setReadReceipts(callerId(c), readReceipts);
    return c.json({ user: await core.users.viewOne(callerId(c), callerId(c)) });
  });

  app.put("/password", auth, async (c) => {
    const input = await jsonBody(c, passwordChangeSchema);
    await core.auth.changePassword(c.get("principal"), input, address(c));
    return c.body(null, 204);
  });

  app.post("/refresh", auth, async (c) => {
    return c.json(
      await sessionOf(core, await core.auth.refresh(c.get("principal"), loginClient(c))),
    );
  });

  app.post("/logout", auth, async (c) => {
    await core.auth.logout(c.get("principal"));
    return c.body(null, 204);
  });

  // Extension: the user's logins, and ending one of them.
  app.get("/sessions", auth, async (c) => {
    return c.json({ sessions: await core.sessions.list(c.get("principal")) });
  });

  app.delete("/sessions/:id", auth, async (c) => {
    await core.sessions.end(c.get("principal"), c.req.param("id"));
    return c.body(null, 204);
  });

  app.post("/logout/all", auth, async (c) => {
    await core.auth.logoutEverywhere(c.get("principal"));
    return c.body(null, 204);
  });

  return app;
}
