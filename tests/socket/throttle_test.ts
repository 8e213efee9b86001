/**
 * The throttle of whole lists, on real timers: a lone change goes at once and
 * nothing follows; changes within a window go as one trailing run at its end,
 * which opens the next window; keys do not share windows; a flush runs what is
 * due at once and leaves no timer. The margins are wide (70 ms or more on each
 * side of a window's end), so a busy machine does not fail them.
 * @module
 */
import assert from "node:assert/strict";
import { Throttle } from "../../src/socket/_throttle.ts";
import { sleep } from "../_helpers/client.ts";

Deno.test("throttle: at once, then once per window while changes come", async (t) => {
  const trailing: string[] = [];
  const throttle = new Throttle<string>(200, (key) => {
    trailing.push(key);
    return Promise.resolve();
  });

  await t.step("a lone change goes at once, and nothing follows", async () => {
    assert.equal(throttle.now("a"), true);
    await sleep(300);
    assert.deepEqual(trailing, []);
  });

  await t.step("a burst: at once, then one trailing run per window", async () => {
    assert.equal(throttle.now("a"), true); // window until 200 ms
    for (let i = 0; i < 5; i++) assert.equal(throttle.now("a"), false);
    assert.equal(throttle.now("b"), true, "another key, a window of its own");
    await sleep(130);
    assert.deepEqual(trailing, [], "the window is still open");
    await sleep(140); // 270 ms
    assert.deepEqual(trailing, ["a"], "one run for the five, none for b");
    assert.equal(throttle.now("a"), false, "the trailing run opened the next window");
    await sleep(200); // 470 ms: past the second window's end (400 ms)
    assert.deepEqual(trailing, ["a", "a"]);
    await sleep(200); // the third window ends with nothing due
    assert.deepEqual(trailing, ["a", "a"]);
  });

  await t.step("a flush runs what is due at once, and leaves no timer", async () => {
    trailing.length = 0;
    throttle.now("c");
    throttle.now("c");
    throttle.now("d"); // open, nothing due
    await throttle.flush();
    assert.deepEqual(trailing, ["c"]);
    assert.equal(throttle.now("d"), true, "its window closed");
    await throttle.flush();
  });
});
