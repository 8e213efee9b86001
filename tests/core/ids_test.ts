import assert from "node:assert/strict";
import { uuidv7 } from "../../src/core/_ids.ts";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

Deno.test("uuidv7", async (t) => {
  await t.step("is a version 7, variant 10 UUID", () => {
    for (let i = 0; i < 100; i++) assert.match(uuidv7(), UUID_V7);
  });

  await t.step("starts with the time in milliseconds, so ids sort by creation", () => {
    const at = Date.UTC(2026, 10, 22, 12, 0, 0, 123);
    const id = uuidv7(at);
    assert.equal(parseInt(id.slice(0, 8) + id.slice(9, 13), 16), at);
    const later = Array.from({ length: 50 }, (_, i) => uuidv7(at + i));
    assert.deepEqual(later.toSorted(), later);
  });

  await t.step("differs within one millisecond", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => uuidv7(1_700_000_000_000)));
    assert.equal(ids.size, 1000);
  });
});
