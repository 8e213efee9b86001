/**
 * The identity provider's public keys (a JWKS document), fetched when first
 * needed and kept, so a login does not wait on the provider.
 * @module
 */
import { UnavailableError } from "../../core/errors.ts";

/** A public key as a JWKS document lists it. */
export type PublicJwk = JsonWebKey & { kid?: string; alg?: string };

// Providers rotate keys by publishing the next one well ahead (Auth0, Google:
// days): re-reading every ten minutes is plenty, and a token signed with a key
// not seen yet reads them again at once, but at most every half minute, so
// tokens with made-up key ids cannot make the server hammer the provider.
const MAX_AGE_MS = 10 * 60_000;
const COOLDOWN_MS = 30_000;
const FETCH_TIMEOUT_MS = 5_000;

/** How long keys are kept (tests shorten both). */
export interface KeySetTiming {
  /** Keys older than this are read again (default ten minutes). */
  maxAgeMs?: number;
  /** A key not seen yet reads them again at most this often (default 30 s). */
  cooldownMs?: number;
}

/** The keys of one JWKS URL. */
export class KeySet {
  #url: string;
  #keys: PublicJwk[] = [];
  #fetchedAt = -Infinity;
  #triedAt = -Infinity;
  #failure?: unknown;
  #pending?: Promise<void>;
  #maxAgeMs: number;
  #cooldownMs: number;

  /** Creates the set; nothing is fetched until a key is needed. */
  constructor(url: string, timing: KeySetTiming = {}) {
    this.#url = url;
    this.#maxAgeMs = timing.maxAgeMs ?? MAX_AGE_MS;
    this.#cooldownMs = timing.cooldownMs ?? COOLDOWN_MS;
  }

  /**
   * The keys, read again when older than ten minutes or lacking `kid`. When
   * the provider cannot be reached, keys read before still serve if one has
   * `kid`; else throws `UnavailableError`.
   */
  async keysFor(kid: string): Promise<PublicJwk[]> {
    const has = () => this.#keys.some((key) => key.kid === kid);
    if (has() && Date.now() - this.#fetchedAt <= this.#maxAgeMs) return this.#keys;
    // At most one read per cooldown, whether the last one worked or not: a
    // provider that is down is not asked (and waited for) at every login.
    if (Date.now() - this.#triedAt > this.#cooldownMs) {
      this.#triedAt = Date.now();
      this.#pending ??= this.#fetch().finally(() => this.#pending = undefined);
    }
    await this.#pending;
    if (this.#failure !== undefined && !has()) throw this.#failure;
    return this.#keys;
  }

  async #fetch(): Promise<void> {
    try {
      this.#keys = await fetchKeys(this.#url);
      this.#fetchedAt = Date.now();
      this.#failure = undefined;
    } catch (error) {
      this.#failure = error;
    }
  }
}

/**
 * Reads a JWKS document's keys, as the server does (`deno task doctor` too);
 * throws `UnavailableError` when the provider cannot be reached or lists none.
 */
export async function fetchKeys(url: string): Promise<PublicJwk[]> {
  let body: { keys?: unknown };
  try {
    const response = await fetch(url, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`the provider answered ${response.status}`);
    }
    body = await response.json();
  } catch (cause) {
    throw new UnavailableError("Cannot read the identity provider's keys", { cause });
  }
  if (!Array.isArray(body?.keys) || body.keys.length === 0) {
    throw new UnavailableError("Cannot read the identity provider's keys: none listed");
  }
  return body.keys;
}
