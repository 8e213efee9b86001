/**
 * The store contract's pending-index steps: a user's undelivered messages are
 * listed in (chat, seq) order a page at a time, and a delivery takes a message
 * off the list once, counted once.
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../src/core/ports.ts";
import type { UserRecord } from "../../src/core/types.ts";
import { now, ref } from "./_store_fixtures.ts";

/** Runs the pending steps: `a` has messages from others pending, and so has `c`. */
export async function pendingSteps(
  t: Deno.TestContext,
  store: Store,
  [a, c]: UserRecord[],
): Promise<void> {
  await t.step("pending index: in (chat, seq) order, paged by cursor", async () => {
    const pendingA = await store.messages.listPending(a.id, { limit: 100 });
    const expected = [...pendingA].sort((
      x,
      y,
    ) => (x.chatId === y.chatId ? x.seq - y.seq : x.chatId < y.chatId ? -1 : 1));
    assert.deepEqual(pendingA.map((m) => m.id), expected.map((m) => m.id));
    assert.ok(pendingA.every((m) => m.senderId !== a.id));
    const first = await store.messages.listPending(a.id, { limit: 3 });
    const last = first[2];
    const rest = await store.messages.listPending(a.id, {
      after: { chatId: last.chatId, seq: last.seq },
      limit: 100,
    });
    assert.deepEqual([...first, ...rest].map((m) => m.id), pendingA.map((m) => m.id));
  });

  await t.step("markDelivered: changes once, removes from pending, counts", async () => {
    const pending = await store.messages.listPending(c.id, { limit: 100 });
    const changes = await store.messages.markDelivered(
      c.id,
      pending.slice(0, 2).map(ref),
      now(),
    );
    assert.equal(changes.length, 2);
    assert.ok(changes.every((x) => x.status === "delivered" && x.userId === c.id));
    assert.equal(
      (await store.messages.markDelivered(c.id, pending.slice(0, 2).map(ref), now())).length,
      0,
    );
    const left = await store.messages.listPending(c.id, { limit: 100 });
    assert.equal(left.length, pending.length - 2);
    const stored = await store.messages.get(pending[0].id);
    assert.equal(stored?.counts.delivered, 1);
  });
}
