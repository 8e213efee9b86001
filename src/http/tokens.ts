/**
 * Access tokens: HS256 JWTs signed with Hono's jwt helpers. Each carries a random
 * `jti` and its login session's id (`sid`), so that logout ends one session (every
 * token refreshed from that login) without touching the user's others.
 * @module
 */
import { sign, verify } from "hono/jwt";
import type { TokenClaims, TokenSigner } from "../core/ports.ts";

/** Options of the JWT signer. */
export interface JwtSignerOptions {
  secret: string;
  ttlSeconds: number;
}

/** Creates a token signer on Hono's jwt helpers. */
export function createJwtSigner(options: JwtSignerOptions): TokenSigner {
  return {
    ttlSeconds: options.ttlSeconds,
    async sign(userId, sessionId) {
      const now = Math.floor(Date.now() / 1000);
      const jti = crypto.randomUUID();
      const claims: TokenClaims = {
        sub: userId,
        jti,
        sid: sessionId ?? jti,
        exp: now + options.ttlSeconds,
      };
      const token = await sign({ ...claims, iat: now }, options.secret, "HS256");
      return { token, claims };
    },
    async verify(token) {
      const payload = await verify(token, options.secret, "HS256");
      if (
        typeof payload.sub !== "string" || typeof payload.jti !== "string" ||
        typeof payload.exp !== "number"
      ) {
        throw new Error("Token lacks sub, jti or exp");
      }
      // Tokens issued before sessions existed are a session of their own.
      const sid = typeof payload.sid === "string" ? payload.sid : payload.jti;
      return { sub: payload.sub, jti: payload.jti, sid, exp: payload.exp };
    },
  };
}
