/**
 * The in-memory rate limiter runs the rate limiter contract; past the ten
 * thousand keys at which it forgets idle logs, it keeps every active one.
 */
import assert from "node:assert/strict";
import { MemoryRateLimiter } from "../../../src/adapters/memory/mod.ts";
import { rateLimiterContract } from "../../contract/rate_limiter.ts";

rateLimiterContract("memory", () => {
  const limiter = new MemoryRateLimiter();
  return Promise.resolve({ limiter, close: () => limiter.close() });
});

Deno.test("memory rate limiter: a sweep of idle logs keeps the active ones", async () => {
  const limiter = new MemoryRateLimiter();
  const take = (key: string) => limiter.take(key, 2, 60_000);
  try {
    // Enough keys, all active, for two sweeps (at 10,000 keys, then at twice what is left).
    for (let i = 0; i < 25_000; i++) assert.equal((await take(`k${i}`)).ok, true);
    assert.equal((await take("k0")).ok, true, "its second");
    assert.equal((await take("k0")).ok, false, "its third: the first was kept through the sweeps");
    assert.equal((await take("k24999")).ok, true);
    assert.equal((await take("k24999")).ok, false);
  } finally {
    await limiter.close();
  }
});
