/**
 * The expiry sweep with the clock passed in: nothing goes before its time; at
 * its time a disappearing message becomes a tombstone, its members hear
 * `message:deleted`, and it is never swept twice. Real KV store, real core.
 */
import assert from "node:assert/strict";
import { setup } from "./_setup.ts";

Deno.test("timers: a message goes at its time, once, and the chat hears it", async () => {
  const s = await setup();
  try {
    await s.core.timers.set(s.bob, s.chatId, 60);
    const message = await s.send(1);
    const at = (ms: number) => new Date(Date.parse(message.createdAt) + ms);
    assert.equal(await s.core.timers.expire(at(59_000)), 0, "not before its time");
    assert.equal((await s.store.messages.get(message.id))?.content, "m1");
    s.notifier.emitted.length = 0;
    assert.equal(await s.core.timers.expire(at(60_000)), 1);
    const gone = await s.store.messages.get(message.id);
    assert.deepEqual([gone?.deleted, gone?.content, gone?.expiresAt], [true, "", undefined]);
    const deleted = s.notifier.emitted.filter((e) => e.event === "message:deleted");
    assert.deepEqual(deleted.map((e) => [[...e.userIds].sort(), e.payload.messageId]), [
      [[s.alice, s.bob].sort(), message.id],
    ]);
    assert.equal(await s.core.timers.expire(at(120_000)), 0, "swept once");
  } finally {
    await s.close();
  }
});
