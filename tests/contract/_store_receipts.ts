/**
 * The store contract's receipt steps, each on users and chats of its own: acks
 * racing reads, member removal, counts of one-recipient messages, reads over
 * many commits, each recipient's status, and reads with read receipts off.
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../src/core/ports.ts";
import type { MessageRecord } from "../../src/core/types.ts";
import { chat, draft, now, ref, user } from "./_store_fixtures.ts";

/** Three new users, stored, and a group of them. */
async function groupOfThree(store: Store) {
  const [x, y, z] = [user(), user(), user()];
  for (const u of [x, y, z]) await store.users.create(u);
  const g = await store.chats.createGroup(chat("group", [x.id, y.id, z.id]));
  return { x, y, z, g };
}

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

  await t.step("silent reads: read for the reader only, told by the next read", async () => {
    const { x, y, z, g } = await groupOfThree(store);
    const direct = (await store.chats.createDirect(chat("direct", [x.id, y.id]))).chat;
    const sent: MessageRecord[] = [];
    for (const sender of [x, x, x, y, x]) {
      sent.push((await store.messages.append(draft(g.id, sender.id))).message);
    }
    const { message: one } = await store.messages.append(draft(direct.id, x.id));
    await store.messages.markDelivered(y.id, [ref(sent[0])], now());
    const told = (changes: { seq: number; status: string }[]) =>
      changes.map((c) => `${c.seq}:${c.status}`);
    const counts = async (chatId: string, seqs: number[]) =>
      (await store.messages.getBySeq(chatId, seqs)).map((m) => [m.counts.delivered, m.counts.read]);
    const statuses = async (m: MessageRecord) =>
      (await store.messages.recipientStatuses(m)).map((r) => `${r.userId}:${r.status}`);

    const quiet = await store.messages.markRead(y.id, g.id, 4, { at: now(), silent: true });
    assert.deepEqual(told(quiet), ["2:delivered", "3:delivered"], "only what was still pending");
    const member = await store.chats.getMembership(g.id, y.id);
    assert.deepEqual([member?.readSeq, member?.ownAfterRead], [4, 0], "read for y");
    assert.deepEqual(await counts(g.id, [1, 2, 3]), [[1, 0], [1, 0], [1, 0]]);
    assert.deepEqual(await statuses(sent[1]), [`${y.id}:delivered`, `${z.id}:sent`]);
    const quietOne = await store.messages.markRead(y.id, direct.id, 1, { at: now(), silent: true });
    assert.deepEqual(told(quietOne), ["1:delivered"]);
    assert.deepEqual(await statuses(one), [`${y.id}:delivered`]);
    assert.deepEqual((await store.messages.get(one.id))?.counts, { delivered: 1, read: 0 });

    // y's own message after the read: it stays out of y's unread count.
    await store.messages.append(draft(g.id, y.id));
    const loud = await store.messages.markRead(y.id, g.id, 5, { at: now() });
    assert.deepEqual(told(loud), ["1:read", "2:read", "3:read", "5:read"], "held back, then new");
    assert.deepEqual(await counts(g.id, [1, 2, 3, 5]), [[1, 1], [1, 1], [1, 1], [1, 1]]);
    const after = await store.chats.getMembership(g.id, y.id);
    assert.deepEqual([after?.readSeq, after?.ownAfterRead], [5, 1]);
    assert.deepEqual(await statuses(sent[1]), [`${y.id}:read`, `${z.id}:sent`]);

    // z reads quietly and leaves: as for any member who leaves, it all counts read.
    await store.messages.markRead(z.id, g.id, 5, { at: now(), silent: true });
    assert.deepEqual(await counts(g.id, [1, 2, 3, 5]), [[2, 1], [2, 1], [2, 1], [2, 1]]);
    await store.chats.removeMember(g.id, z.id);
    assert.deepEqual(await counts(g.id, [1, 2, 3, 5]), [[2, 2], [2, 2], [2, 2], [2, 2]]);
  });

  await t.step("silent reads over many commits: the next read tells them all", async () => {
    const { x, y, g } = await groupOfThree(store);
    // Every tenth message is y's own, and so is the last, which y does not read.
    for (let i = 0; i < 200; i++) {
      await store.messages.append(draft(g.id, i % 10 === 9 ? y.id : x.id));
    }
    await store.messages.markRead(y.id, g.id, 200, { at: now(), silent: true });
    await store.messages.append(draft(g.id, x.id));
    await store.messages.append(draft(g.id, y.id));
    const loud = await store.messages.markRead(y.id, g.id, 201, { at: now() });
    assert.equal(loud.filter((c) => c.status === "read").length, 181);
    const member = await store.chats.getMembership(g.id, y.id);
    assert.deepEqual([member?.readSeq, member?.ownAfterRead], [201, 1]);
  });
}
