/**
 * The store contract's receipt steps, each on users and chats of its own: acks
 * racing reads, member removal, counts of one-recipient messages, reads over
 * many commits, each recipient's status, and reads with read receipts off (in
 * `_store_silent_reads.ts`).
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../src/core/ports.ts";
import type { MessageRecord } from "../../src/core/types.ts";
import { chat, draft, groupOfThree, now, ref, user } from "./_store_fixtures.ts";
import { silentReadSteps } from "./_store_silent_reads.ts";

/** Runs the receipt steps. */
export async function receiptSteps(t: Deno.TestContext, store: Store): Promise<void> {
  await t.step("an ack that arrives after the read counts nothing more", async () => {
    const { x, y, z, g } = await groupOfThree(store);
    const { message } = await store.messages.append(draft(g.id, x.id));
    assert.equal((await store.messages.listPending(y.id, { limit: 10 })).length, 1);
    assert.equal((await store.messages.markRead(y.id, g.id, 1, { at: now() })).length, 1);
    assert.deepEqual(await store.messages.markDelivered(y.id, [ref(message)], now()), []);
    const [stored] = await store.messages.getBySeq(g.id, [1]);
    assert.deepEqual([stored.counts.delivered, stored.counts.read], [1, 1]);
    assert.equal((await store.messages.markDelivered(z.id, [ref(message)], now())).length, 1);
    const [after] = await store.messages.getBySeq(g.id, [1]);
    assert.deepEqual([after.counts.delivered, after.counts.read], [2, 1]);
  });

  await t.step(
    "removeMember: stops delivery and counts the member's receipts as done",
    async () => {
      const { x, y, z, g } = await groupOfThree(store);
      const sent: MessageRecord[] = [];
      for (let i = 0; i < 3; i++) {
        sent.push((await store.messages.append(draft(g.id, x.id))).message);
      }
      await store.messages.markDelivered(y.id, sent.slice(0, 2).map(ref), now());
      await store.messages.markRead(y.id, g.id, 1, { at: now() });
      await store.messages.markDelivered(z.id, sent.slice(0, 1).map(ref), now());
      const counts = async () =>
        (await store.messages.getBySeq(g.id, [1, 2, 3])).map((m) => [
          m.counts.delivered,
          m.counts.read,
        ]);
      assert.deepEqual(await counts(), [[2, 1], [1, 0], [0, 0]]);

      const after = await store.chats.removeMember(g.id, z.id);
      assert.deepEqual(after?.participantIds, [x.id, y.id]);
      assert.equal(await store.chats.getMembership(g.id, z.id), null);
      assert.deepEqual(await store.messages.listPending(z.id, { limit: 10 }), []);
      // z now counts as delivered and read everywhere; y's own state is unchanged.
      assert.deepEqual(await counts(), [[2, 2], [2, 1], [1, 1]]);
      assert.deepEqual(
        await store.messages.markDelivered(z.id, sent.map(ref), now()),
        [],
        "a late ack of the removed member changes nothing",
      );
      await store.chats.removeMember(g.id, z.id);
      assert.deepEqual(
        await counts(),
        [[2, 2], [2, 1], [1, 1]],
        "removing again counts nothing",
      );
      await store.messages.markRead(y.id, g.id, 3, { at: now() });
      assert.deepEqual(await counts(), [[2, 2], [2, 2], [2, 2]], "every recipient is done");
    },
  );

  await t.step(
    "counts of one-recipient messages: acked, read, and a removed recipient",
    async () => {
      const [x, y] = [user(), user()];
      for (const u of [x, y]) await store.users.create(u);
      const direct = (await store.chats.createDirect(chat("direct", [x.id, y.id]))).chat;
      const duo = await store.chats.createGroup(chat("group", [x.id, y.id]));
      const sent: MessageRecord[] = [];
      for (const c of [direct, direct, direct, duo, duo]) {
        sent.push((await store.messages.append(draft(c.id, x.id))).message);
      }
      const counts = async () =>
        (await Promise.all(sent.map((m) => store.messages.get(m.id)))).map((m) => [
          m?.counts.delivered,
          m?.counts.read,
        ]);
      assert.deepEqual(await counts(), [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]]);
      await store.messages.markDelivered(y.id, [ref(sent[0]), ref(sent[3])], now());
      assert.deepEqual(await counts(), [[1, 0], [0, 0], [0, 0], [1, 0], [0, 0]]);
      await store.messages.markRead(y.id, direct.id, 2, { at: now() });
      assert.deepEqual(await counts(), [[1, 1], [1, 1], [0, 0], [1, 0], [0, 0]]);
      await store.chats.removeMember(duo.id, y.id);
      assert.deepEqual(await counts(), [[1, 1], [1, 1], [0, 0], [1, 1], [1, 1]]);
      const history = await store.messages.history(direct.id, { limit: 10 });
      assert.deepEqual(history.map((m) => [m.counts.delivered, m.counts.read]), [
        [0, 0],
        [1, 1],
        [1, 1],
      ]);
    },
  );

  await t.step(
    "receipts over many commits: two devices reading at once, then a removal, count once",
    async () => {
      const { x, y, z, g } = await groupOfThree(store);
      const sent: MessageRecord[] = [];
      for (let i = 0; i < 200; i++) {
        // Every tenth message is y's own: y reads past it and z gets it.
        const sender = i % 10 === 9 ? y.id : x.id;
        sent.push((await store.messages.append(draft(g.id, sender))).message);
      }
      const toY = sent.filter((m) => m.senderId !== y.id);
      await store.messages.markDelivered(y.id, toY.slice(0, 100).map(ref), now());
      const calls = await Promise.all([
        store.messages.markRead(y.id, g.id, 200, { at: now() }),
        store.messages.markRead(y.id, g.id, 120, { at: now() }),
        store.messages.markRead(y.id, g.id, 200, { at: now() }),
      ]);
      const ids = calls.flat().map((change) => change.messageId).sort();
      assert.deepEqual(ids, toY.map((m) => m.id).sort(), "each message read once");
      const member = await store.chats.getMembership(g.id, y.id);
      assert.equal(member?.readSeq, 200);
      assert.equal(member?.ownAfterRead, 0);
      await store.chats.removeMember(g.id, z.id);
      await store.chats.removeMember(g.id, z.id);
      const stored = await store.messages.getBySeq(g.id, sent.map((m) => m.seq));
      for (const m of stored) {
        const recipients = m.senderId === y.id ? 1 : 2;
        assert.deepEqual(
          [m.counts.delivered, m.counts.read],
          [recipients, recipients],
          `seq ${m.seq}`,
        );
      }
      assert.deepEqual(await store.messages.listPending(y.id, { limit: 10 }), []);
      assert.deepEqual(await store.messages.listPending(z.id, { limit: 10 }), []);
    },
  );

  await t.step("recipientStatuses: sent, then delivered, then read, per recipient", async () => {
    const { x, y, z, g } = await groupOfThree(store);
    const direct = (await store.chats.createDirect(chat("direct", [x.id, y.id]))).chat;
    const { message: first } = await store.messages.append(draft(g.id, x.id));
    const { message: second } = await store.messages.append(draft(g.id, x.id));
    const { message: one } = await store.messages.append(draft(direct.id, x.id));
    const statuses = async (m: MessageRecord) =>
      (await store.messages.recipientStatuses(m)).map((r) => `${r.userId}:${r.status}`);
    assert.deepEqual(await statuses(first), [`${y.id}:sent`, `${z.id}:sent`]);
    assert.deepEqual(await statuses(one), [`${y.id}:sent`]);

    await store.messages.markDelivered(y.id, [ref(first), ref(one)], now());
    await store.messages.markRead(z.id, g.id, 1, { at: now() });
    assert.deepEqual(await statuses(first), [`${y.id}:delivered`, `${z.id}:read`]);
    assert.deepEqual(await statuses(second), [`${y.id}:sent`, `${z.id}:sent`], "z read only seq 1");
    assert.deepEqual(await statuses(one), [`${y.id}:delivered`]);

    await store.messages.markRead(y.id, direct.id, 1, { at: now() });
    assert.deepEqual(await statuses(one), [`${y.id}:read`]);
  });

  await silentReadSteps(t, store);
}
