/**
 * Access tokens: HS256 JWTs signed with Hono's jwt helpers. Each carries a random
 * `jti` and its login session's id (`sid`), so that logout ends one session (every
 * token refreshed from that login) without touching the user's others, and the
 * login's time (`auth_time`, as in OpenID Connect), so that refreshes cannot
 * keep a stolen token alive past the login's max age, and the user's token
 * generation at the login (`gen`), so that a password change ends other logins.
 * @module
 */
import { sign, verify } from "hono/jwt";
import type { TokenClaims, TokenSigner } from "../core/ports.ts";

/** Options of the JWT signer. */
export interface JwtSignerOptions {
  secret: string;
  ttlSeconds: number;
  /** A login's absolute lifetime: no token of it expires later (default: no limit). */
  maxAgeSeconds?: number;
}

/** Creates a token signer on Hono's jwt helpers. */
export function createJwtSigner(options: JwtSignerOptions): TokenSigner {
  const maxAge = options.maxAgeSeconds ?? Infinity;
  return {
    ttlSeconds: options.ttlSeconds,
    async sign(userId, login) {
      const now = Math.floor(Date.now() / 1000);
      const jti = crypto.randomUUID();
      const session = "sid" in login ? login : undefined;
      const authTime = session?.authTime ?? now;
      const claims: TokenClaims = {
        sub: userId,
        jti,
        sid: session?.sid ?? jti,
        authTime,
        generation: login.generation,
        exp: Math.min(now + options.ttlSeconds, authTime + maxAge),
      };
      const { authTime: auth_time, generation: gen, ...rest } = claims;
      const token = await sign({ ...rest, auth_time, gen, iat: now }, options.secret, "HS256");
      return { token, claims };
    },
    async verify(token) {
      const payload = await verify(token, options.secret, "HS256");
      // Every token this signer ever issued has these four.
      if (
        typeof payload.sub !== "string" || typeof payload.jti !== "string" ||
        typeof payload.exp !== "number" || typeof payload.iat !== "number"
      ) {
        throw new Error("Token lacks sub, jti, iat or exp");
      }
      // Tokens issued before sessions existed are a session of their own.
      const sid = typeof payload.sid === "string" ? payload.sid : payload.jti;
      // Tokens issued before auth_time existed: their own issue time starts the clock.
      const authTime = typeof payload.auth_time === "number" ? payload.auth_time : payload.iat;
      // Tokens issued before password changes existed: the first generation.
      const generation = typeof payload.gen === "number" ? payload.gen : 0;
      return { sub: payload.sub, jti: payload.jti, sid, authTime, generation, exp: payload.exp };
    },
  };
}
