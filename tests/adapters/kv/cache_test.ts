/**
 * The KV adapter's bounded caches: they stay within their size, drop the oldest
 * entries first, and the pending cache hands an entry out once.
 */
import assert from "node:assert/strict";
import { trimOldest } from "../../../src/adapters/kv/_util.ts";
import { PendingCache } from "../../../src/adapters/kv/_pending_cache.ts";

Deno.test("trimOldest drops the oldest tenth once the map is over its size", () => {
  const map = new Map(Array.from({ length: 100 }, (_, i) => [i, i]));
  trimOldest(map, 100);
  assert.equal(map.size, 100, "at its size nothing goes");
  map.set(100, 100);
  trimOldest(map, 100);
  assert.equal(map.size, 90);
  assert.deepEqual([...map.keys()].slice(0, 2), [11, 12]);
  assert.ok(map.has(100));
});

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
