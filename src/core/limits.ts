/**
 * Rate limit policy: which actions are counted, under which keys, with which
 * limits. Limits fail open: when the limiter itself fails (Redis down), the action
 * is allowed, since refusing every send would be worse than a burst getting through.
 * @module
 */
import { RateLimitError } from "./errors.ts";
import type { Logger, Metrics, RateLimiter } from "./ports.ts";

/** A limit: at most `limit` actions per `windowMs`. */
export interface Limit {
  limit: number;
  windowMs: number;
}

/** The limits of the server. */
export interface LimitOptions {
  /** Messages per user (the seed: 50 per minute). */
  messages: Limit;
  /** Login attempts per account. */
  loginPerAccount: Limit;
  /** Login attempts per client address. */
  loginPerAddress: Limit;
  /** Accounts registered per client address. */
  signups: Limit;
  /** Reports filed per user: a flood would bury the operators' queue. */
  reports: Limit;
  /** Searches per user: each reads and decrypts up to a thousand messages. */
  searches: Limit;
  /** Copies of their data per user: each reads and decrypts every message they sent. */
  exports: Limit;
  /** Files uploaded per user. */
  uploads: Limit;
  /**
   * Authenticated REST requests per user: a list of chats or a page of history is
   * a store read each, and has no limit of its own.
   */
  requests: Limit;
}

/** Applies the rate limits; throws `RateLimitError` with `retryAfterMs` when over. */
export class Limits {
  #limiter: RateLimiter;
  #metrics: Metrics;
  #logger: Logger;
  #options: LimitOptions;

  /** Creates the policy over a limiter. */
  constructor(
    deps: { limiter: RateLimiter; metrics: Metrics; logger: Logger },
    options: LimitOptions,
  ) {
    this.#limiter = deps.limiter;
    this.#metrics = deps.metrics;
    this.#logger = deps.logger;
    this.#options = options;
  }

  /** Counts one message sent by a user. */
  message(userId: string): Promise<void> {
    return this.#take(`send:${userId}`, this.#options.messages);
  }

  /**
   * Uncounts a message that stored nothing: a retry of one already sent (same
   * clientMsgId), so a client resending after a lost ack is not throttled for it.
   */
  messageRepeated(userId: string): Promise<void> {
    return this.#give(`send:${userId}`);
  }

  /** Counts one report filed by a user. */
  report(userId: string): Promise<void> {
    return this.#take(`report:${userId}`, this.#options.reports);
  }

  /** Counts one search by a user. */
  search(userId: string): Promise<void> {
    return this.#take(`search:${userId}`, this.#options.searches);
  }

  /** Counts one file uploaded by a user. */
  upload(userId: string): Promise<void> {
    return this.#take(`upload:${userId}`, this.#options.uploads);
  }

  /** Counts one REST request of a user. */
  request(userId: string): Promise<void> {
    return this.#take(`request:${userId}`, this.#options.requests);
  }

  /** Counts one copy of a user's data. */
  export(userId: string): Promise<void> {
    return this.#take(`export:${userId}`, this.#options.exports);
  }

  /** Uncounts a report that filed nothing new: the repeat of an earlier one. */
  reportRepeated(userId: string): Promise<void> {
    return this.#give(`report:${userId}`);
  }

  /** Counts one login attempt for an account and from an address. */
  async login(login: string, address: string | undefined): Promise<void> {
    await this.#take(`login:account:${login.toLowerCase()}`, this.#options.loginPerAccount);
    if (address) await this.#take(`login:address:${address}`, this.#options.loginPerAddress);
  }

  /** Counts one account registered from an address (none counted without one). */
  async register(address: string | undefined): Promise<void> {
    if (address) await this.#take(`register:address:${address}`, this.#options.signups);
  }

  async #give(key: string): Promise<void> {
    await this.#limiter.give(key).catch((error) => {
      this.#logger.debug("rate limiter unavailable; not uncounted", { error: String(error) });
    });
  }

  async #take(key: string, { limit, windowMs }: Limit): Promise<void> {
    let verdict: { ok: boolean; retryAfterMs: number };
    try {
      verdict = await this.#limiter.take(key, limit, windowMs);
    } catch (error) {
      this.#logger.debug("rate limiter unavailable; allowing", { error: String(error) });
      return;
    }
    if (verdict.ok) return;
    this.#metrics.count("rateLimited");
    throw new RateLimitError(verdict.retryAfterMs);
  }
}
