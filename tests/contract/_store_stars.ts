/**
 * The store contract's star steps: a user stars a message once (a repeat, even
 * at the same moment, returns the first star), lists their stars the latest
 * first a page at a time, unstars, and loses them all with their account; no
 * user sees another's.
 * @module
 */
import assert from "node:assert/strict";
import { uuidv7 } from "../../src/core/_ids.ts";
import type { Store } from "../../src/core/ports.ts";
import type { StarRecord } from "../../src/core/types.ts";
import { now } from "./_store_fixtures.ts";

/** Runs the star steps on user ids of their own. */
export async function starSteps(t: Deno.TestContext, store: Store): Promise<void> {
  const [a, b] = [`star-a-${crypto.randomUUID()}`, `star-b-${crypto.randomUUID()}`];
  let at = Date.now();
  const star = (userId: string, messageId: string): StarRecord => ({
    id: uuidv7(at++), // one millisecond apart: the order is the order of starring
    userId,
    messageId,
    starredAt: now(),
  });
  const ids = async (userId: string, options: { limit?: number; before?: string } = {}) =>
    (await store.stars.list(userId, { limit: 50, ...options })).map((s) => s.messageId);

  await t.step("stars: once per message, even at the same moment", async () => {
    const [x, y] = await Promise.all([
      store.stars.add(star(a, "m1")),
      store.stars.add(star(a, "m1")),
    ]);
    assert.deepEqual(x, y, "both answers are the star kept");
    assert.deepEqual(await store.stars.add(star(a, "m1")), x, "and so is a later repeat");
    assert.deepEqual(await ids(a), ["m1"]);
  });

  await t.step("stars: the latest first, a page at a time, each user's own", async () => {
    for (const m of ["m2", "m3", "m4"]) await store.stars.add(star(a, m));
    await store.stars.add(star(b, "m9"));
    assert.deepEqual(await ids(a), ["m4", "m3", "m2", "m1"]);
    const first = await store.stars.list(a, { limit: 2 });
    assert.deepEqual(first.map((s) => s.messageId), ["m4", "m3"]);
    assert.deepEqual(await ids(a, { limit: 2, before: first[1].id }), ["m2", "m1"]);
    assert.deepEqual(await ids(a, { before: (await store.stars.list(a, { limit: 4 }))[3].id }), []);
    assert.deepEqual(await ids(b), ["m9"]);
  });

  await t.step("stars: unstarring is idempotent; a new star goes first", async () => {
    await store.stars.remove(a, "m2");
    await store.stars.remove(a, "m2");
    await store.stars.remove(a, "never");
    assert.deepEqual(await ids(a), ["m4", "m3", "m1"]);
    await store.stars.add(star(a, "m2"));
    assert.deepEqual(await ids(a), ["m2", "m4", "m3", "m1"]);
  });

  await t.step("stars: all of a user's go with their account", async () => {
    for (let i = 0; i < 250; i++) await store.stars.add(star(a, `bulk${i}`));
    await store.stars.removeAll(a);
    assert.deepEqual(await ids(a), []);
    const again = await store.stars.add(star(a, "m1"));
    assert.equal((await store.stars.list(a, { limit: 5 }))[0].id, again.id, "starred anew");
    assert.deepEqual(await ids(b), ["m9"], "the others' stay");
  });
}
