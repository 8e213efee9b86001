/**
 * The store contract's steps on disappearing messages: a chat's timer gives each
 * message sequenced while it is set its `expiresAt`, even among many sends of
 * one commit; the expired are listed earliest first up to a limit; an update
 * that takes `expiresAt` away (a delete) takes the message off the list.
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../src/core/ports.ts";
import { chat, draft, user } from "./_store_fixtures.ts";

const at = (iso: string, seconds: number) =>
  new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** Runs the steps on users and chats of their own. */
export async function timerSteps(t: Deno.TestContext, store: Store): Promise<void> {
  const [a, b] = [user(), user()];
  for (const u of [a, b]) await store.users.create(u);
  const group = await store.chats.createGroup(chat("group", [a.id, b.id]));
  // Expiries far ahead, so that other steps' messages on a shared store never mix in.
  const later = (seconds: number) => ({
    ...draft(group.id, a.id),
    createdAt: at("2999-01-01T00:00:00.000Z", seconds),
  });

  await t.step("timers: a set timer gives new messages expiresAt, off gives none", async () => {
    assert.equal((await store.chats.setTimer(group.id, 3600))?.messageTimer, 3600);
    assert.equal((await store.chats.get(group.id))?.messageTimer, 3600);
    const sends = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.messages.append(later(i))),
    );
    for (const { message } of sends) {
      assert.equal(message.expiresAt, at(message.createdAt, 3600));
      assert.equal((await store.messages.get(message.id))?.expiresAt, message.expiresAt);
    }
    assert.equal((await store.chats.setTimer(group.id, null))?.messageTimer, undefined);
    const { message } = await store.messages.append(later(100));
    assert.equal(message.expiresAt, undefined);
    assert.equal(await store.chats.setTimer("no-such-chat", 60), null);
  });

  await t.step("timers: the expired, earliest first; a delete takes one off", async () => {
    const cut = at("2999-01-01T00:00:00.000Z", 3600 + 4); // the first five sends' expiry
    const expired = await store.messages.listExpired(cut, 100);
    const stored = await Promise.all(expired.map((id) => store.messages.get(id)));
    assert.deepEqual(
      stored.map((m) => m!.createdAt),
      [0, 1, 2, 3, 4].map((i) => at("2999-01-01T00:00:00.000Z", i)),
    );
    assert.deepEqual(await store.messages.listExpired(cut, 2), expired.slice(0, 2), "a limit");
    await store.messages.updateMessage(expired[0], ({ expiresAt: _, ...m }) => ({
      ...m,
      content: "",
      deleted: true,
    }));
    assert.deepEqual(await store.messages.listExpired(cut, 100), expired.slice(1));
    assert.equal((await store.messages.get(expired[0]))?.expiresAt, undefined);
    await store.messages.updateMessage(expired[1], (m) => ({ ...m, reactions: { "👍": [b.id] } }));
    assert.deepEqual(await store.messages.listExpired(cut, 100), expired.slice(1), "kept");
  });
}
