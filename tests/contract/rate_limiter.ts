/**
 * The rate limiter contract: every `RateLimiter` implementation runs this suite.
 * @module
 */
import assert from "node:assert/strict";
import type { RateLimiter } from "../../src/core/ports.ts";
import type { ContractOptions } from "./_options.ts";
import { sleep } from "../_helpers/client.ts";

/** Registers the rate limiter contract suite under `name`; `close` releases what `open` made. */
export function rateLimiterContract(
  name: string,
  open: () => Promise<{ limiter: RateLimiter; close: () => Promise<void> }>,
  options: ContractOptions = {},
): void {
  Deno.test({
    name: `rate limiter contract: ${name}`,
    ignore: options.ignore,
    fn: async (t) => {
      const { limiter, close } = await open();
      const key = () => `k-${crypto.randomUUID()}`;
      const takeMany = async (k: string, n: number, limit: number, windowMs: number) => {
        const verdicts = [];
        for (let i = 0; i < n; i++) verdicts.push(await limiter.take(k, limit, windowMs));
        return verdicts;
      };

      await t.step("counts up to the limit, then refuses with the wait", async () => {
        const k = key();
        const verdicts = await takeMany(k, 4, 3, 60_000);
        assert.deepEqual(verdicts.map((v) => v.ok), [true, true, true, false]);
        const wait = verdicts[3].retryAfterMs;
        assert.ok(wait > 0 && wait <= 60_000, `retryAfterMs ${wait}`);
        assert.equal((await limiter.take(key(), 3, 60_000)).ok, true, "other keys are apart");
      });

      await t.step("actions leave the window as it slides", async () => {
        const k = key();
        assert.ok((await takeMany(k, 200, 300, 1000)).every((v) => v.ok));
        await sleep(1100);
        // The first 200 have left: 300 fit again, and not one more.
        const again = await takeMany(k, 301, 300, 1000);
        assert.equal(again.filter((v) => v.ok).length, 300);
        assert.equal(again[300].ok, false);
      });

      await t.step("give uncounts the latest action, and nothing below zero", async () => {
        const k = key();
        await takeMany(k, 2, 2, 60_000);
        assert.equal((await limiter.take(k, 2, 60_000)).ok, false);
        await limiter.give(k);
        assert.equal((await limiter.take(k, 2, 60_000)).ok, true);
        const fresh = key();
        await limiter.give(fresh);
        assert.deepEqual((await takeMany(fresh, 2, 1, 60_000)).map((v) => v.ok), [true, false]);
      });

      await close();
    },
  });
}
