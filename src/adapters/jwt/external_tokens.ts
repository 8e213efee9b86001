/**
 * Checks the JWTs of the app's identity provider with Hono's jwt helpers:
 * signed with a secret shared with the app's backend (HS256), or with a key of
 * the provider's JWKS (RS256, ES256 and kin: Auth0, Firebase, Cognito,
 * Keycloak, Clerk). The issuer must match, and the audience when one is set.
 * @module
 */
import { decode, verify, verifyWithJwks } from "hono/jwt";
import type { ExternalIdentity, ExternalTokenVerifier } from "../../core/external_auth.ts";
import { externalIdSchema, pictureUrl, profileSchema } from "../../protocol/mod.ts";
import { KeySet, type KeySetTiming } from "./_key_set.ts";

/** Options of the external token verifier: `secret` or `jwksUrl`. */
export interface ExternalTokenOptions {
  /** The `iss` every token must carry. */
  issuer: string;
  /** The `aud` a token must name, when set (an OpenID client id, an API's identifier). */
  audience?: string;
  /** The secret the app's backend signs tokens with (HS256). */
  secret?: string;
  /** Where the provider publishes its public keys. */
  jwksUrl?: string;
  /** How long the provider's keys are kept. */
  keyTiming?: KeySetTiming;
}

// The provider's clock may run a little ahead of ours: a token it has just
// issued must not be "issued in the future" here.
const LEEWAY_SECONDS = 60;
const ASYMMETRIC = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "EdDSA",
] as const;

const text = (value: unknown) => (typeof value === "string" ? value : undefined);

// An OAuth access token in the JWT profile (RFC 9068) says `typ: at+jwt`, which
// Hono accepts only when told; any other token must say "JWT" or nothing.
function typeOf(header: { typ?: unknown }): string | undefined {
  const typ = text(header.typ)?.toLowerCase().replace(/^application\//, "");
  return typ === "at+jwt" ? typ : undefined;
}

// What the claims say of the user; a name or picture the profile would refuse is left out.
function identityOf(payload: Record<string, unknown>): ExternalIdentity {
  const sub = externalIdSchema.safeParse(payload.sub);
  if (!sub.success) throw new Error(`sub must be ${sub.error.issues[0].message}`);
  const subject = sub.data;
  if (typeof payload.exp !== "number") throw new Error("Token lacks exp");
  const now = Date.now() / 1000;
  for (const claim of ["iat", "nbf"]) {
    const at = payload[claim];
    if (at !== undefined && (typeof at !== "number" || at > now + LEEWAY_SECONDS)) {
      throw new Error(`Token's ${claim} is in the future`);
    }
  }
  const identity: ExternalIdentity = { subject };
  const username = text(payload.preferred_username);
  if (username !== undefined) identity.username = username;
  const name = profileSchema.shape.displayName.safeParse(payload.name);
  if (name.success && name.data) identity.displayName = name.data;
  const picture = pictureUrl.safeParse(payload.picture);
  if (picture.success) identity.avatar = picture.data;
  return identity;
}

/** Creates the verifier of the provider's tokens. */
export function createExternalTokenVerifier(options: ExternalTokenOptions): ExternalTokenVerifier {
  if (!options.secret === !options.jwksUrl) {
    throw new TypeError("Cannot check external tokens: give either a secret or a JWKS URL");
  }
  // hono checks iat and nbf with no leeway; identityOf checks them with some.
  const checks = { iss: options.issuer, aud: options.audience, iat: false, nbf: false };
  const keys = options.jwksUrl ? new KeySet(options.jwksUrl, options.keyTiming) : undefined;
  return {
    async verify(token) {
      const { header } = decode(token);
      const verification = { ...checks, typ: typeOf(header) };
      let payload;
      if (keys) {
        const kid = text(header.kid);
        if (kid === undefined) throw new Error("Token names no key (kid)");
        payload = await verifyWithJwks(token, {
          keys: await keys.keysFor(kid),
          allowedAlgorithms: ASYMMETRIC,
          verification,
        });
      } else {
        payload = await verify(token, options.secret!, { alg: "HS256", ...verification });
      }
      return identityOf(payload);
    },
  };
}
