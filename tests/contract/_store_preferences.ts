/**
 * The store contract's steps on a member's own settings of a chat, its mute, its
 * archive, its pin to the top and the history they cleared: each set and lifted without losing a send made at the same
 * moment (sends rewrite the sender's membership), and without touching the other.
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../src/core/ports.ts";
import { chat, draft, user } from "./_store_fixtures.ts";

/** Runs the preference steps on users of their own. */
export async function preferenceSteps(t: Deno.TestContext, store: Store): Promise<void> {
  const [a, b, c] = [user(), user(), user()];
  for (const u of [a, b, c]) await store.users.create(u);

  await t.step("chats: a mute keeps the sends around it, and they keep it", async () => {
    // Sends rewrite the sender's membership (ownAfterRead): neither may lose the other.
    const club = await store.chats.createGroup(chat("group", [a.id, b.id]));
    const until = new Date(Date.now() + 3_600_000).toISOString();
    for (let i = 0; i < 20; i++) {
      // Each mute reads the membership while a send is on its way to rewrite it.
      const sending = store.messages.append(draft(club.id, a.id));
      await Promise.all([store.preferences.setMuted(club.id, a.id, { until }), sending]);
    }
    const muted = await store.chats.getMembership(club.id, a.id);
    assert.deepEqual(muted?.muted, { until });
    assert.equal(muted?.ownAfterRead, 20);
    const forever = await store.preferences.setMuted(club.id, a.id, {});
    assert.deepEqual(forever?.muted, {});
    const lifted = await store.preferences.setMuted(club.id, a.id);
    assert.equal(lifted?.muted, undefined);
    assert.equal((await store.chats.getMembership(club.id, a.id))?.muted, undefined);
    assert.equal(lifted?.ownAfterRead, 20);
    assert.equal((await store.chats.getMembership(club.id, b.id))?.muted, undefined);
    assert.equal(await store.preferences.setMuted(club.id, c.id, {}), null, "not a member");
    assert.equal(await store.chats.getMembership(club.id, c.id), null, "and still not one");
  });

  await t.step("chats: an archive keeps the sends around it, and the mute", async () => {
    const club = await store.chats.createGroup(chat("group", [a.id, b.id]));
    await store.preferences.setMuted(club.id, a.id, {});
    for (let i = 0; i < 20; i++) {
      const sending = store.messages.append(draft(club.id, a.id));
      await Promise.all([store.preferences.setArchived(club.id, a.id, i % 2 === 0), sending]);
    }
    const member = await store.chats.getMembership(club.id, a.id);
    assert.equal(member?.archived, undefined, "the last call unarchived it");
    assert.equal(member?.ownAfterRead, 20);
    const archived = await store.preferences.setArchived(club.id, a.id, true);
    assert.equal(archived?.archived, true);
    assert.deepEqual(archived?.muted, {}, "the mute stays");
    assert.equal((await store.chats.getMembership(club.id, b.id))?.archived, undefined);
    assert.equal(await store.preferences.setArchived(club.id, c.id, true), null, "not a member");
  });

  await t.step("chats: a pin of the chat is kept beside sends and the other settings", async () => {
    const club = await store.chats.createGroup(chat("group", [a.id, b.id]));
    await store.preferences.setArchived(club.id, a.id, true);
    const at = new Date().toISOString();
    const sends = Array.from({ length: 10 }, () => store.messages.append(draft(club.id, a.id)));
    await Promise.all([...sends, store.preferences.setPinnedAt(club.id, a.id, at)]);
    const member = await store.chats.getMembership(club.id, a.id);
    assert.deepEqual([member?.pinnedAt, member?.archived, member?.ownAfterRead], [at, true, 10]);
    const unpinned = await store.preferences.setPinnedAt(club.id, a.id, undefined);
    assert.equal(unpinned?.pinnedAt, undefined);
    assert.equal(unpinned?.archived, true);
    assert.equal(await store.preferences.setPinnedAt(club.id, c.id, at), null, "not a member");
  });

  await t.step("chats: a mark as unread stays beside sends, and reading clears it", async () => {
    const club = await store.chats.createGroup(chat("group", [a.id, b.id]));
    await store.messages.append(draft(club.id, b.id));
    const marked = await store.preferences.setMarkedUnread(club.id, a.id, true);
    assert.equal(marked?.markedUnread, true);
    await Promise.all([
      store.messages.append(draft(club.id, a.id)),
      store.preferences.setArchived(club.id, a.id, true),
    ]);
    assert.equal((await store.chats.getMembership(club.id, a.id))?.markedUnread, true);
    await store.messages.markRead(a.id, club.id, 1, { at: new Date().toISOString() });
    assert.equal((await store.chats.getMembership(club.id, a.id))?.markedUnread, undefined);
    await store.preferences.setMarkedUnread(club.id, a.id, true);
    await store.messages.markRead(a.id, club.id, 1, { at: new Date().toISOString() });
    const again = await store.chats.getMembership(club.id, a.id);
    assert.equal(again?.markedUnread, undefined, "nothing new to read: cleared all the same");
    assert.deepEqual([again?.readSeq, again?.archived], [1, true]);
    await store.preferences.setMarkedUnread(club.id, a.id, true);
    const unmarked = await store.preferences.setMarkedUnread(club.id, a.id, false);
    assert.equal(unmarked?.markedUnread, undefined);
    assert.equal(await store.preferences.setMarkedUnread(club.id, c.id, true), null, "no member");
  });

  await t.step(
    "chats: a cleared history only rises, beside sends and the other settings",
    async () => {
      const club = await store.chats.createGroup(chat("group", [a.id, b.id]));
      await store.preferences.setMuted(club.id, a.id, {});
      const sends = Array.from({ length: 10 }, () => store.messages.append(draft(club.id, a.id)));
      const clears = [4, 7, 2].map((seq) => store.preferences.setClearedSeq(club.id, a.id, seq));
      await Promise.all([...sends, ...clears]);
      const member = await store.chats.getMembership(club.id, a.id);
      assert.deepEqual([member?.clearedSeq, member?.muted, member?.ownAfterRead], [7, {}, 10]);
      assert.equal((await store.preferences.setClearedSeq(club.id, a.id, 3))?.clearedSeq, 7);
      assert.equal((await store.preferences.setClearedSeq(club.id, a.id, 9))?.clearedSeq, 9);
      assert.equal((await store.chats.getMembership(club.id, b.id))?.clearedSeq, undefined);
      assert.equal(await store.preferences.setClearedSeq(club.id, c.id, 1), null, "not a member");
    },
  );
}
