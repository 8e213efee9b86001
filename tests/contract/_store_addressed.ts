/**
 * The store contract's steps on the messages that address a user: mentions of
 * them and replies to their messages, counted per chat after a seq and up to a
 * limit, never their own messages nor a mention of someone else; a mention in
 * a commit of many sends counts as one alone.
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../src/core/ports.ts";
import { chat, draft, user } from "./_store_fixtures.ts";

/** Runs the steps on users and a group of their own. */
export async function addressedSteps(t: Deno.TestContext, store: Store): Promise<void> {
  const [a, b, c] = [user(), user(), user()];
  for (const u of [a, b, c]) await store.users.create(u);
  const group = await store.chats.createGroup(chat("group", [a.id, b.id, c.id]));
  const count = (userId: string, afterSeq = 0, limit = 100) =>
    store.messages.countAddressed(userId, group.id, { afterSeq, limit });

  await t.step("addressed: mentions and replies, per user, after a seq", async () => {
    const first = (await store.messages.append(draft(group.id, a.id))).message; // seq 1
    await store.messages.append({ ...draft(group.id, b.id), mentions: [a.id, c.id] }); // 2
    const replyTo = { id: first.id, seq: first.seq, senderId: a.id };
    await store.messages.append({ ...draft(group.id, c.id), replyTo }); // 3
    await store.messages.append({ ...draft(group.id, a.id), mentions: [a.id], replyTo }); // 4: own
    await store.messages.append({ ...draft(group.id, b.id), mentions: [c.id] }); // 5
    assert.deepEqual([await count(a.id), await count(b.id), await count(c.id)], [2, 0, 2]);
    assert.equal(await count(a.id, 2), 1, "after seq 2: the reply");
    assert.equal(await count(c.id, 4), 1);
    assert.equal(await count(a.id, 0, 1), 1, "up to the limit");
    assert.equal(
      await store.messages.countAddressed(a.id, "no-such-chat", { afterSeq: 0, limit: 10 }),
      0,
    );
  });

  await t.step("addressed: a mention among many sends of one commit", async () => {
    const sends = Array.from({ length: 30 }, (_, i) =>
      store.messages.append({
        ...draft(group.id, i % 2 ? b.id : c.id),
        ...(i % 10 === 0 ? { mentions: [a.id] } : {}),
      }));
    await Promise.all(sends);
    assert.equal(await count(a.id, 5), 3);
  });
}
