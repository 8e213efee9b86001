/**
 * Bearer-token middleware: resolves `Authorization: Bearer <token>` to the
 * caller, or lets the app's backend act as one of its users; and the logins
 * through the app's identity provider, when set up.
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import {
  AccessError,
  type Core,
  type ExternalAuthService,
  type Issued,
  type Principal,
  type UserRecord,
} from "../core/mod.ts";
import type { AuthSession } from "../protocol/mod.ts";

/** Hono variables set by the middleware. */
export type AuthEnv = {
  Variables: {
    /** The login of the token (set by `requireAuth` only). */
    principal: Principal;
    /** Whom the request acts for: the token's user, or the one the app's backend acts as. */
    caller: UserRecord;
    /** True when the app's backend acts as the user (`/api/app/users/:userId/...`). */
    byApp: boolean;
  };
};

/**
 * Refuses requests without a valid, unrevoked token (`unauthorized`), and those
 * over the caller's request budget (`rate_limited`).
 */
export function requireAuth(core: Core): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header("Authorization");
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const principal = await core.auth.authenticate(token);
    await core.limits.request(principal.user.id);
    c.set("principal", principal);
    c.set("caller", principal.user);
    c.set("byApp", false);
    await next();
  };
}

/**
 * The logins through the app's identity provider; `not_found` when none is set
 * up, as for a route that does not exist.
 */
export function externalAuthOf(core: Core): ExternalAuthService {
  if (core.externalAuth) return core.externalAuth;
  throw new AccessError("not_found", "Logins through an identity provider are not set up");
}

/**
 * Lets the app's backend act as one of its users, named by the route's
 * parameter `param`: `ExternalAuthService.actingAs` says whom it may. It is
 * not held to the user's request budget, which is there against people, not the app.
 */
export function actAsUser(core: Core, param: string): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    c.set("caller", await externalAuthOf(core).actingAs(c.req.param(param) ?? ""));
    c.set("byApp", true);
    await next();
  };
}

/** The answer to a login, a sign-up or a refresh: the token, its expiry and the user's own view. */
export async function sessionOf(
  core: Core,
  { token, expiresAt, user }: Issued,
): Promise<AuthSession> {
  return { token, expiresAt, user: await core.users.viewOne(user.id, user.id) };
}

/** The caller's user id. */
export function callerId(c: Context<AuthEnv>): string {
  return c.get("caller").id;
}
