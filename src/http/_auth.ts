/**
 * Bearer-token middleware: resolves `Authorization: Bearer <token>` to the caller.
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import type { Core, Principal } from "../core/mod.ts";

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

/** The caller's user id. */
export function callerId(c: Context<AuthEnv>): string {
  return c.get("principal").user.id;
}
