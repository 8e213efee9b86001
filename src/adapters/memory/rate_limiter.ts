/**
 * Rate limits in this process's memory: a sliding log of timestamps per key.
 * Right for one node; with several nodes use the Redis limiter so they share counts.
 * @module
 */
import type { RateLimiter } from "../../core/ports.ts";

// A key's log, oldest first; entries before `head` have left the window. Moving
// `head` rather than filtering keeps a call O(1) however high the limit is set.
type Log = { times: number[]; head: number };
const SWEEP_FROM = 10_000;

/** A sliding-log rate limiter in memory. */
export class MemoryRateLimiter implements RateLimiter {
  #logs = new Map<string, Log>();
  /** The number of keys past which idle logs are next looked for. */
  #sweepAt = SWEEP_FROM;

  take(
    key: string,
    limit: number,
    windowMs: number,
  ): Promise<{ ok: boolean; retryAfterMs: number }> {
    const now = Date.now();
    const cutoff = now - windowMs;
    let log = this.#logs.get(key);
    if (!log) this.#logs.set(key, log = { times: [], head: 0 });
    while (log.head < log.times.length && log.times[log.head] <= cutoff) log.head++;
    if (log.head > 64 && log.head * 2 > log.times.length) {
      log.times = log.times.slice(log.head);
      log.head = 0;
    }
    if (log.times.length - log.head >= limit) {
      return Promise.resolve({ ok: false, retryAfterMs: log.times[log.head] + windowMs - now });
    }
    log.times.push(now);
    // Keys of idle users would pile up: forget logs with nothing in the window. The next
    // sweep waits until the keys have doubled, so that with more users active than the
    // threshold (every REST request is counted) a call does not walk every key.
    if (this.#logs.size > this.#sweepAt) {
      for (const [k, { times }] of this.#logs) {
        if (times[times.length - 1] <= cutoff) this.#logs.delete(k);
      }
      this.#sweepAt = Math.max(SWEEP_FROM, this.#logs.size * 2);
    }
    return Promise.resolve({ ok: true, retryAfterMs: 0 });
  }

  give(key: string): Promise<void> {
    const log = this.#logs.get(key);
    if (log && log.times.length > log.head) log.times.pop();
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#logs.clear();
    return Promise.resolve();
  }
}
