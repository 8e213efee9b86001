/** Bounded Maps and Sets: what trimOldest drops, and what it keeps. */
import assert from "node:assert/strict";
import { atLeast, atMost, trimOldest } from "../../src/core/trim.ts";

Deno.test("trimOldest: a cache of at most N drops its oldest tenth once over N", () => {
  const map = new Map(Array.from({ length: 100 }, (_, i) => [i, i]));
  trimOldest(map, atMost(100));
  assert.equal(map.size, 100, "at its size nothing goes");
  map.set(100, 100);
  trimOldest(map, atMost(100));
  assert.equal(map.size, 90);
  assert.deepEqual([...map.keys()].slice(0, 2), [11, 12]);
  assert.ok(map.has(100));
});

Deno.test("trimOldest: a window of the last N ids always holds the newest N", () => {
  const ids = new Set<number>();
  for (let i = 0; i < 1000; i++) {
    ids.add(i);
    trimOldest(ids, atLeast(100));
    assert.ok(ids.size <= 110, `size ${ids.size} after ${i}`);
    for (let k = Math.max(0, i - 99); k <= i; k++) assert.ok(ids.has(k), `${k} kept at ${i}`);
  }
  assert.equal(ids.has(0), false);
});
