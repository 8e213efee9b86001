/**
 * The store contract's steps for changes to sent messages: each edit, delete or
 * reaction takes the chat's next `changeSeq`, and the change log lists each
 * changed message once, at its last change, for a device catching up.
 * @module
 */
import assert from "node:assert/strict";
import { ConflictError } from "../../src/core/errors.ts";
import type { Store } from "../../src/core/ports.ts";
import type { MessageRecord, UserRecord } from "../../src/core/types.ts";
import { chat, draft, now, ref } from "./_store_fixtures.ts";

/** Runs the change steps with two users the store already holds. */
export async function changeSteps(
  t: Deno.TestContext,
  store: Store,
  [a, b]: UserRecord[],
): Promise<void> {
  const group = await store.chats.createGroup(chat("group", [a.id, b.id]));
  const other = await store.chats.createGroup(chat("group", [a.id, b.id]));
  const sent: MessageRecord[] = [];
  for (let i = 0; i < 4; i++) {
    sent.push((await store.messages.append(draft(group.id, a.id))).message);
  }
  const [m1, m2, m3, m4] = sent;
  const edit = (m: MessageRecord, content: string) =>
    store.messages.updateMessage(m.id, (current) => ({ ...current, content }));
  const log = async (afterChangeSeq: number, limit = 10) =>
    (await store.messages.changes(group.id, { afterChangeSeq, limit }))
      .map((c) => [c.changeSeq, c.message.id, c.message.content]);

  await t.step("changes: each takes the chat's next count, the log holds the last", async () => {
    assert.equal(await store.messages.lastChangeSeq(group.id), 0);
    assert.deepEqual(await log(0), []);
    assert.equal((await edit(m2, "two"))?.changeSeq, 1);
    assert.equal((await edit(m1, "one"))?.changeSeq, 2);
    const again = await edit(m2, "two again");
    assert.equal(again?.changeSeq, 3);
    assert.equal(again?.content, "two again");
    assert.equal(await store.messages.lastChangeSeq(group.id), 3);
    assert.deepEqual(await log(0), [[2, m1.id, "one"], [3, m2.id, "two again"]]);
    assert.deepEqual(await log(2), [[3, m2.id, "two again"]]);
    assert.deepEqual(await log(3), []);
    assert.deepEqual(await log(0, 1), [[2, m1.id, "one"]], "a page of one");
    assert.equal(await store.messages.lastChangeSeq(other.id), 0, "another chat counts apart");
    assert.equal((await store.messages.get(m2.id))?.changeSeq, 3);
  });

  await t.step("changes: a refused change or a missing message counts nothing", async () => {
    const refuse = () => {
      throw new ConflictError("no");
    };
    await assert.rejects(store.messages.updateMessage(m3.id, refuse), ConflictError);
    assert.equal(await store.messages.updateMessage("missing", (m) => m), null);
    assert.equal(await store.messages.lastChangeSeq(group.id), 3);
    assert.equal((await store.messages.get(m3.id))?.changeSeq, undefined);
  });

  await t.step("changes: concurrent ones lose nothing and keep receipt counts", async () => {
    await store.messages.markDelivered(b.id, [ref(m3)], now());
    const emoji = ["a", "b", "c", "d", "e", "f"];
    const results = await Promise.all([
      ...emoji.map((e) =>
        store.messages.updateMessage(m3.id, (current) => ({
          ...current,
          reactions: { ...current.reactions, [e]: [b.id] },
        }))
      ),
      ...emoji.map((e) => edit(m4, e)),
    ]);
    const counted = results.map((m) => m!.changeSeq!).sort((x, y) => x - y);
    assert.deepEqual(counted, Array.from({ length: 12 }, (_, i) => 4 + i), "one count each");
    const stored = await store.messages.get(m3.id);
    assert.deepEqual(Object.keys(stored?.reactions ?? {}).sort(), emoji);
    assert.equal(stored?.counts.delivered, 1);
    const last = await log(3);
    assert.deepEqual(last.map(([, id]) => id).sort(), [m3.id, m4.id].sort());
    assert.equal(last[1][0], 15);
    assert.equal(await store.messages.lastChangeSeq(group.id), 15);
  });
}
