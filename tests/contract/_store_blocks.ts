/**
 * The store contract's block steps: blocks listed from both sides, a block ends
 * a friendship, and a blocked direct chat refuses sends, even a chat created or
 * a send made at the same moment as the block. A direct chat one side left
 * (a deleted account) refuses sends too.
 * @module
 */
import assert from "node:assert/strict";
import { AccessError } from "../../src/core/errors.ts";
import type { Store } from "../../src/core/ports.ts";
import { chat, draft, user } from "./_store_fixtures.ts";

/** Runs the block steps on users of their own. */
export async function blockSteps(t: Deno.TestContext, store: Store): Promise<void> {
  const [x, y, z, w] = [user(), user(), user(), user()];
  for (const u of [x, y, z, w]) await store.users.create(u);
  const refused = (error: unknown) =>
    error instanceof AccessError && error.code === "forbidden" &&
    (error.details as { reason?: string })?.reason === "blocked";

  await t.step("blocks: listed from both sides, idempotent, and end a friendship", async () => {
    await store.users.addFriendship(x.id, y.id);
    assert.equal(await store.users.setBlocked(x.id, y.id, true), null, "the pair has no chat");
    assert.equal(await store.users.setBlocked(x.id, y.id, true), null);
    assert.deepEqual(await store.users.blocks(x.id), { blocked: [y.id], blockedBy: [] });
    assert.deepEqual(await store.users.blocks(y.id), { blocked: [], blockedBy: [x.id] });
    assert.equal(await store.users.areFriends(y.id, x.id), false);
    await store.users.setBlocked(y.id, x.id, true);
    assert.deepEqual(await store.users.blocks(x.id), { blocked: [y.id], blockedBy: [y.id] });
    await store.users.setBlocked(x.id, y.id, false);
    await store.users.setBlocked(x.id, y.id, false);
    assert.deepEqual(await store.users.blocks(x.id), { blocked: [], blockedBy: [y.id] });
    await store.users.setBlocked(y.id, x.id, false);
    assert.deepEqual(await store.users.blocks(y.id), { blocked: [], blockedBy: [] });
  });

  await t.step("blocks: a direct chat created after or with a block is blocked", async () => {
    await store.users.setBlocked(x.id, z.id, true);
    const { chat: direct } = await store.chats.createDirect(chat("direct", [z.id, x.id]));
    assert.deepEqual(direct.blockedBy, [x.id]);
    assert.deepEqual((await store.chats.get(direct.id))?.blockedBy, [x.id]);
    await assert.rejects(store.messages.append(draft(direct.id, z.id)), refused);
    await assert.rejects(store.messages.append(draft(direct.id, x.id)), refused, "both sides");
    const lifted = await store.users.setBlocked(x.id, z.id, false);
    assert.equal(lifted?.id, direct.id);
    assert.equal(lifted?.blockedBy, undefined);
    assert.equal((await store.messages.append(draft(direct.id, z.id))).message.seq, 1);
    assert.equal((await store.chats.get(direct.id))?.lastSeq, 1, "refusals took no seq");
    for (let i = 0; i < 10; i++) {
      // A block at the moment the pair's chat is created either finds the chat or
      // is found by it.
      const [p, q] = [user(), user()];
      for (const u of [p, q]) await store.users.create(u);
      const [, created] = await Promise.all([
        store.users.setBlocked(p.id, q.id, true),
        store.chats.createDirect(chat("direct", [q.id, p.id])),
      ]);
      assert.deepEqual((await store.chats.get(created.chat.id))?.blockedBy, [p.id]);
    }
  });

  await t.step("blocks: a block or unblock racing sends is kept, and so are they", async () => {
    // Sends rewrite the chat record (lastSeq): neither may undo the other.
    const { chat: direct } = await store.chats.createDirect(chat("direct", [x.id, w.id]));
    let stored = 0;
    for (let i = 0; i < 10; i++) {
      const blocked = i % 2 === 0;
      const [set, ...sends] = await Promise.allSettled([
        store.users.setBlocked(w.id, x.id, blocked),
        store.messages.append(draft(direct.id, x.id)),
        store.messages.append(draft(direct.id, w.id)),
      ]);
      assert.equal(set.status, "fulfilled");
      const chatNow = set.status === "fulfilled" ? set.value : null;
      assert.equal(chatNow?.blockedBy?.includes(w.id) ?? false, blocked);
      for (const send of sends) {
        if (send.status === "fulfilled") stored++;
        else assert.ok(refused(send.reason), String(send.reason));
      }
      if (blocked) {
        await assert.rejects(store.messages.append(draft(direct.id, x.id)), refused);
      } else {
        await store.messages.append(draft(direct.id, x.id));
        stored++;
      }
    }
    const after = await store.chats.get(direct.id);
    assert.equal(after?.lastSeq, stored, "every stored send has its seq, no gaps");
    assert.equal(after?.blockedBy, undefined);
  });

  await t.step("a direct chat left by one side takes no sends, even racing ones", async () => {
    // What deleting an account does to its direct chats: the partner keeps the
    // history, and a send racing the removal is stored before it or refused.
    const [p, q] = [user(), user()];
    for (const u of [p, q]) await store.users.create(u);
    const { chat: direct } = await store.chats.createDirect(chat("direct", [p.id, q.id]));
    const [removed, ...sends] = await Promise.allSettled([
      store.chats.removeMember(direct.id, q.id),
      ...Array.from({ length: 5 }, () => store.messages.append(draft(direct.id, p.id))),
    ]);
    assert.equal(removed.status, "fulfilled");
    const deleted = (error: unknown) =>
      error instanceof AccessError && (error.details as { reason?: string })?.reason === "deleted";
    let stored = 0;
    for (const send of sends) {
      if (send.status === "fulfilled") stored++;
      else assert.ok(deleted(send.reason), String(send.reason));
    }
    await assert.rejects(store.messages.append(draft(direct.id, p.id)), deleted);
    const after = await store.chats.get(direct.id);
    assert.deepEqual(after?.participantIds, [p.id]);
    assert.equal(after?.lastSeq, stored);
    assert.deepEqual(
      await store.messages.listPending(q.id, { limit: 10 }),
      [],
      "nothing left for q",
    );
  });
}
