/**
 * Rate limits in this process's memory: a sliding log of timestamps per key.
 * Right for one node; with several nodes use the Redis limiter so they share counts.
 * @module
 */
import type { RateLimiter } from "../../core/ports.ts";

/** A sliding-log rate limiter in memory. */
export class MemoryRateLimiter implements RateLimiter {
  #log = new Map<string, number[]>();

  take(
    key: string,
    limit: number,
    windowMs: number,
  ): Promise<{ ok: boolean; retryAfterMs: number }> {
    const now = Date.now();
    const times = (this.#log.get(key) ?? []).filter((t) => t > now - windowMs);
    if (times.length >= limit) {
      this.#log.set(key, times);
      return Promise.resolve({ ok: false, retryAfterMs: times[0] + windowMs - now });
    }
    times.push(now);
    this.#log.set(key, times);
    // Keys of idle users would pile up: forget logs with nothing in the window.
    if (this.#log.size > 10_000) {
      for (const [k, list] of this.#log) {
        if (list[list.length - 1] <= now - windowMs) this.#log.delete(k);
      }
    }
    return Promise.resolve({ ok: true, retryAfterMs: 0 });
  }

  give(key: string): Promise<void> {
    this.#log.get(key)?.pop();
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#log.clear();
    return Promise.resolve();
  }
}
