/**
 * The KV adapter's pending cache: it stays within its size, drops the oldest
 * entries first, and hands an entry out once.
 */
import assert from "node:assert/strict";
import { PendingCache } from "../../../src/adapters/kv/_pending_cache.ts";

Deno.test("the pending cache stays bounded and gives each entry out once", () => {
  const cache = new PendingCache(50);
  const entry = (seq: number) => ({ key: ["pending", "u", "c", seq], value: 1, versionstamp: "v" });
  for (let seq = 1; seq <= 200; seq++) cache.remember(entry(seq));
  assert.equal(cache.take({ userId: "u", chatId: "c", seq: 1 }), undefined, "evicted");
  assert.deepEqual(cache.take({ userId: "u", chatId: "c", seq: 200 }), entry(200));
  assert.equal(cache.take({ userId: "u", chatId: "c", seq: 200 }), undefined, "taken once");
  let kept = 0;
  for (let seq = 1; seq <= 200; seq++) if (cache.take({ userId: "u", chatId: "c", seq })) kept++;
  assert.ok(kept > 0 && kept < 50, `${kept} kept of at most 50`);
});
