/**
 * The throttled warning over the real JSON logger: the first is logged, the
 * next within the period only counted, and the first after it carries the
 * count held back.
 */
import assert from "node:assert/strict";
import { createLogger } from "../../src/log.ts";
import { ThrottledWarning } from "../../src/core/_throttled_warning.ts";
import { sleep } from "../_helpers/client.ts";

Deno.test("a throttled warning: once per period, with how many were held back", async () => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("warn", (line) => lines.push(JSON.parse(line)));
  const warning = new ThrottledWarning(logger, "cannot queue", 200);
  warning.warn({ n: 1 });
  assert.equal(lines.length, 1);
  assert.equal(lines[0].suppressed, undefined, "nothing held back yet");
  for (let n = 2; n <= 4; n++) warning.warn({ n });
  assert.equal(lines.length, 1, "held back within the period");
  await sleep(250);
  warning.warn({ n: 5 });
  assert.equal(lines.length, 2);
  assert.deepEqual(
    [lines[1].level, lines[1].msg, lines[1].n, lines[1].suppressed],
    ["warn", "cannot queue", 5, 3],
  );
  await sleep(250);
  warning.warn({ n: 6 });
  assert.equal(lines[2].suppressed, undefined, "the count starts over");
});
