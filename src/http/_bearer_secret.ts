/**
 * The bearer tokens of the server's own configuration: the operators'
 * `ADMIN_TOKEN` and the app backend's `APP_BACKEND_TOKEN`, each opening its
 * own routes.
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { AccessError, AuthError } from "../core/mod.ts";

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Refuses requests without `Authorization: Bearer <secret>` (`unauthorized`,
 * naming the token by `name`); without a secret configured the routes do not
 * exist (`not_found`).
 */
export function requireSecret(secret: string | undefined, name: string): MiddlewareHandler {
  // Digests of equal length, compared in constant time: the answer's timing
  // tells nothing of how much of a guess was right.
  const expected = secret === undefined ? undefined : digest(secret);
  return async (c, next) => {
    if (!expected) throw new AccessError("not_found", "No such route");
    const token = c.req.header("Authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? "";
    if (!timingSafeEqual(digest(token), expected)) {
      throw new AuthError(`Invalid or missing ${name}`);
    }
    await next();
  };
}
