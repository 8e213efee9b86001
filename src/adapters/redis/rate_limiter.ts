/**
 * Rate limits in Redis, shared by every node: a sliding log per key in a sorted
 * set, checked and appended in one Lua script so racing nodes cannot overshoot.
 * @module
 */
import type { Redis } from "ioredis";
import type { RateLimiter } from "../../core/ports.ts";
import { type LuaScript, luaScript } from "./client.ts";

const TAKE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
local count = redis.call('ZCARD', KEYS[1])
if count >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return oldest[2] + ARGV[2] - ARGV[1]
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return -1`;

/** Options of the Redis rate limiter. */
export interface RedisRateLimiterOptions {
  client: Redis;
  keyPrefix: string;
}

/** A sliding-log rate limiter in Redis. */
export class RedisRateLimiter implements RateLimiter {
  #options: RedisRateLimiterOptions;
  #take: LuaScript;

  /** Creates the limiter on a shared client (not closed by `close()`). */
  constructor(options: RedisRateLimiterOptions) {
    this.#options = options;
    this.#take = luaScript(options.client, "chatRateTake", { keys: 1, lua: TAKE });
  }

  async take(
    key: string,
    limit: number,
    windowMs: number,
  ): Promise<{ ok: boolean; retryAfterMs: number }> {
    const result = Number(
      await this.#take(
        `${this.#options.keyPrefix}rate:${key}`,
        Date.now(),
        windowMs,
        limit,
        crypto.randomUUID(),
      ),
    );
    return result < 0
      ? { ok: true, retryAfterMs: 0 }
      : { ok: false, retryAfterMs: Math.max(1, Math.ceil(result)) };
  }

  async give(key: string): Promise<void> {
    // The newest entry of the log: which one does not matter, only how many there are.
    await this.#options.client.zpopmax(`${this.#options.keyPrefix}rate:${key}`);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
