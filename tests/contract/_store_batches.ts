/**
 * The store contract's steps for sends that arrive together: more than one atomic
 * operation holds, one idempotency key raced across chats, and a large group.
 * @module
 */
import assert from "node:assert/strict";
import { AccessError, ConflictError } from "../../src/core/errors.ts";
import type { Store } from "../../src/core/ports.ts";
import type { UserRecord } from "../../src/core/types.ts";
import { chat, draft, now, ref } from "./_store_fixtures.ts";

/** Runs the batch steps with three users the store already holds. */
export async function batchSteps(
  t: Deno.TestContext,
  store: Store,
  [a, b, c]: UserRecord[],
): Promise<void> {
  await t.step("append: many at once, with repeats and refusals among them", async () => {
    // More sends than fit one KV atomic operation, all in one tick.
    const users = [a, b, c];
    const chats = await Promise.all(
      Array.from({ length: 12 }, () => store.chats.createGroup(chat("group", [a.id, b.id]))),
    );
    const before = await store.chats.createGroup(chat("group", [a.id, b.id]));
    await store.messages.append(draft(before.id, a.id, "many-before"));
    const sends = Array.from({ length: 180 }, (_, i) => {
      const sender = users[i % 2];
      return store.messages.append(draft(chats[i % 12].id, sender.id, `many-${i}`));
    });
    const repeat = store.messages.append(draft(chats[0].id, a.id, "many-0"));
    const refused = assert.rejects(
      store.messages.append(draft(chats[1].id, c.id)),
      AccessError,
    );
    const misplaced = assert.rejects(
      store.messages.append(draft(chats[2].id, a.id, "many-before")),
      ConflictError,
    );
    const results = await Promise.all(sends);
    assert.equal((await repeat).message.id, results[0].message.id);
    assert.equal((await repeat).created, false);
    await refused;
    await misplaced;
    for (const [i, { id }] of chats.entries()) {
      const seqs = results.filter((r) => r.message.chatId === id).map((r) => r.message.seq)
        .sort((x, y) => x - y);
      assert.deepEqual(seqs, Array.from({ length: 15 }, (_, k) => k + 1), `chat ${i}`);
      assert.equal((await store.chats.get(id))?.lastSeq, 15);
    }
    assert.ok(results.every((r) => r.created));
    // Acks of two users at once, one message acked by two devices: each counted once.
    const toB = results.filter((r) => r.message.senderId === a.id).map((r) => ref(r.message));
    const toA = results.filter((r) => r.message.senderId === b.id).map((r) => ref(r.message));
    const [second, first, ofA] = await Promise.all([
      store.messages.markDelivered(b.id, toB.slice(0, 5), now()),
      store.messages.markDelivered(b.id, toB, now()),
      store.messages.markDelivered(a.id, toA, now()),
    ]);
    assert.equal(first.length + second.length, toB.length);
    assert.equal(ofA.length, toA.length);
    assert.equal((await store.messages.get(toB[0].messageId))?.counts.delivered, 1);
    const left = await store.messages.listPending(b.id, { limit: 1000 });
    assert.ok(left.every((m) => !chats.some((c) => c.id === m.chatId)));
  });

  await t.step(
    "append: one clientMsgId sent to many chats at once is stored once",
    async () => {
      const chats = await Promise.all(
        Array.from({ length: 8 }, () => store.chats.createGroup(chat("group", [a.id, b.id]))),
      );
      const settled = await Promise.allSettled(
        chats.map((c) => store.messages.append(draft(c.id, a.id, "everywhere"))),
      );
      const stored = settled.filter((r) => r.status === "fulfilled");
      assert.equal(stored.length, 1, "exactly one chat got it");
      for (const r of settled) {
        if (r.status === "rejected") assert.ok(r.reason instanceof ConflictError, r.reason);
      }
      const home = stored[0].value.message.chatId;
      for (const c of chats) {
        assert.equal(
          (await store.messages.history(c.id, { limit: 10 })).length,
          c.id === home ? 1 : 0,
        );
      }
    },
  );

  await t.step("append: sends to a large group that arrive together", async () => {
    // 150 members with ids as long as real ones: three such sends fit the KV limit of
    // 1000 mutations per atomic operation but not its limit of 80 KiB of keys.
    const members = [a.id, ...Array.from({ length: 149 }, () => crypto.randomUUID())];
    const big = await store.chats.createGroup({
      ...chat("group", members),
      id: crypto.randomUUID(),
    });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => store.messages.append(draft(big.id, a.id))),
    );
    assert.deepEqual(results.map((r) => r.message.seq).sort((x, y) => x - y), [
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
    ]);
    const last = await store.messages.listPending(members[149], { limit: 100 });
    assert.deepEqual(last.map((m) => m.seq), [1, 2, 3, 4, 5, 6, 7, 8]);
  });
}
