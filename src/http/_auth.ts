/**
 * Bearer-token middleware: resolves `Authorization: Bearer <token>` to the
 * caller; and the logins through the app's identity provider, when set up.
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { AccessError, type Core, type ExternalAuthService, type Principal } from "../core/mod.ts";

/** Hono variables set by the middleware. */
export type AuthEnv = { Variables: { principal: Principal } };

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

/** The caller's user id. */
export function callerId(c: Context<AuthEnv>): string {
  return c.get("principal").user.id;
}
