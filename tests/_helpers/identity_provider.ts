/**
 * An identity provider for tests, as Auth0 or Keycloak is to an app: keys
 * made with WebCrypto, their public halves served as a JWKS document over
 * real HTTP (node:http, as the server: Hono's node adapter swaps the global
 * Response), and tokens signed with them. The test can rotate the keys, take
 * the document down, and count how often it was read.
 * @module
 */
import { createServer } from "node:http";
import { sign } from "hono/jwt";

/** The issuer of tests' external tokens. */
export const ISSUER = "https://id.example.test/";
/** The audience of tests' external tokens. */
export const AUDIENCE = "chat-tests";
/** The secret an app's backend shares with the server in tests (`EXTERNAL_AUTH_SECRET`). */
export const APP_SECRET = "the-app-backend-secret-0123456789abcdef";
/** A server's variables for logins with tokens of `APP_SECRET`. */
export const SHARED_SECRET_ENV = {
  EXTERNAL_AUTH_ISSUER: ISSUER,
  EXTERNAL_AUTH_AUDIENCE: AUDIENCE,
  EXTERNAL_AUTH_SECRET: APP_SECRET,
};

/** A running provider. */
export interface IdentityProvider {
  /** Where its JWKS document is. */
  jwksUrl: string;
  /** How many times the document was read. */
  fetches: number;
  /** While true, the document answers 503. */
  down: boolean;
  /** Makes a new key (RSA unless told) and lists it (the older ones stay listed). */
  addKey(kid: string, alg?: KeyAlgorithm): Promise<void>;
  /** A token signed with key `kid`, with the issuer, audience and an hour of life unless overridden. */
  token(claims: Record<string, unknown>, kid?: string): Promise<string>;
  close(): Promise<void>;
}

/** The signing algorithms the provider can make keys for. */
export type KeyAlgorithm = "RS256" | "ES256" | "EdDSA";
type PrivateJwk = JsonWebKey & { kid: string; alg: KeyAlgorithm };

const PARAMS = {
  RS256: {
    name: "RSASSA-PKCS1-v1_5",
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: "SHA-256",
  },
  ES256: { name: "ECDSA", namedCurve: "P-256" },
  EdDSA: { name: "Ed25519" },
};

/** Starts a provider on a free port with one key, `k1`. */
export async function startIdentityProvider(): Promise<IdentityProvider> {
  const keys = new Map<string, { private: PrivateJwk; public: JsonWebKey }>();
  const server = createServer((_req, res) => {
    provider.fetches++;
    if (provider.down) {
      res.writeHead(503).end("down");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: [...keys.values()].map((key) => key.public) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const provider: IdentityProvider = {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    fetches: 0,
    down: false,
    async addKey(kid, alg = "RS256") {
      const pair = await crypto.subtle.generateKey(PARAMS[alg], true, [
        "sign",
        "verify",
      ]) as CryptoKeyPair;
      const of = (key: CryptoKey) => crypto.subtle.exportKey("jwk", key);
      keys.set(kid, {
        private: { ...await of(pair.privateKey), kid, alg },
        public: { ...await of(pair.publicKey), kid, alg, use: "sig" } as JsonWebKey,
      });
    },
    async token(claims, kid = "k1") {
      const key = keys.get(kid);
      if (!key) throw new Error(`no key ${kid}`);
      const now = Math.floor(Date.now() / 1000);
      return await sign(
        { iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 3600, ...claims },
        key.private,
      );
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  await provider.addKey("k1");
  return provider;
}

/** A token of the app's backend, signed with the secret it shares with the server (HS256). */
export function sharedSecretToken(
  secret: string,
  claims: Record<string, unknown>,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return sign({ iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 3600, ...claims }, secret);
}
