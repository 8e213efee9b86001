/**
 * The store contract's steps for reads with read receipts off: a silent read
 * marks messages read for the reader only, and the reader's next read that is
 * not silent tells the senders of all of them, however many commits ago.
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../src/core/ports.ts";
import type { MessageRecord } from "../../src/core/types.ts";
import { chat, draft, groupOfThree, now, ref } from "./_store_fixtures.ts";

/** Runs the silent-read steps, each on users and chats of its own. */
export async function silentReadSteps(t: Deno.TestContext, store: Store): Promise<void> {
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
