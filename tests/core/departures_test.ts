/**
 * Departures in their grace, on real timers: one taken back or replaced is
 * never told, not even by its old timer; the one waiting now is told once,
 * after its own grace; `all()` lists what still waits. The margins are wide
 * (70 ms or more on each side of a timer), so a busy machine does not fail them.
 * @module
 */
import assert from "node:assert/strict";
import { Departures } from "../../src/core/departures.ts";
import { sleep } from "../_helpers/client.ts";

Deno.test("departures: taken back or replaced, then told once after the grace", async (t) => {
  const told: [string, string][] = [];
  const departures = new Departures<string>(200, (key, value) => {
    if (departures.take(key) === value) told.push([key, value]);
  });

  for (const replace of ["taken back first", "replaced at once"]) {
    await t.step(`the old timer tells nothing, ${replace}`, async () => {
      told.length = 0;
      departures.wait("bob", "first"); // due at 200 ms
      await sleep(150);
      if (replace === "taken back first") assert.equal(departures.take("bob"), "first");
      departures.wait("bob", "second"); // due at 350 ms
      assert.deepEqual(departures.all(), [["bob", "second"]]);
      await sleep(120); // 270 ms: past the first one's time
      assert.deepEqual(told, [], "the first one's timer is gone");
      await sleep(230); // 500 ms
      assert.deepEqual(told, [["bob", "second"]]);
      assert.deepEqual(departures.all(), []);
    });
  }
});
