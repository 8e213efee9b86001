/** The graceful stop's count of requests in progress (src/draining.ts). */
import assert from "node:assert/strict";
import { Draining } from "../src/draining.ts";
import { sleep } from "./_helpers/client.ts";

Deno.test("draining", async (t) => {
  await t.step("waits for the requests in progress and refuses new ones", async () => {
    const draining = new Draining();
    const done = draining.admit()!;
    let drained = false;
    const drain = draining.drain({ graceMs: 5_000, quietMs: 20 }).then((left) => {
      drained = true;
      return left;
    });
    assert.equal(draining.admit(), null, "refused once draining began");
    await sleep(50);
    assert.equal(drained, false, "still waiting for the one in progress");
    done();
    done(); // a second call changes nothing
    assert.equal(await drain, 0);
  });

  await t.step("stops waiting after the grace and says how many still ran", async () => {
    const draining = new Draining();
    draining.admit();
    draining.admit();
    // Without the grace this would never end: neither request is ever answered.
    assert.equal(await draining.drain({ graceMs: 50, quietMs: 0 }), 2);
  });

  await t.step("ends at once when nothing ran", async () => {
    assert.equal(await new Draining().drain({ graceMs: 5_000 }), 0);
  });
});
