/**
 * The delivery logic against the ports, without sockets: the real KV store and
 * memory adapters, a device channel that the test scripts, and a notifier that
 * records what the core emits (`_setup.ts`).
 */
import assert from "node:assert/strict";
import { ScriptedDevice, setup } from "./_setup.ts";
import { sleep } from "../_helpers/client.ts";

Deno.test("delivery session drains the backlog in order within its window", async () => {
  const s = await setup(4);
  for (let i = 1; i <= 23; i++) await s.send(i);
  // isNew compares millisecond timestamps: a send in the connect's own millisecond counts as
  // new, so let the clock move on before connecting.
  await sleep(2);
  const device = new ScriptedDevice();
  const session = s.core.delivery.openSession(s.bob, "d1", device);
  assert.equal(await s.core.delivery.drain(session), 23);
  assert.deepEqual(device.received.map((m) => m.seq), Array.from({ length: 23 }, (_, i) => i + 1));
  assert.ok(device.received.every((m) => m.isNew === false));
  assert.ok(device.maxInFlight > 1, "more than one message in flight");
  assert.ok(device.maxInFlight <= 4, `window respected (saw ${device.maxInFlight})`);
  await s.core.delivery.flushed();
  assert.deepEqual(await s.store.messages.listPending(s.bob, { limit: 100 }), []);
  const ticks = s.notifier.emitted.filter((e) => e.event === "message:status");
  assert.equal(ticks.length, 23);
  assert.ok(ticks.every((e) => e.userIds[0] === s.alice && e.payload.status === "delivered"));
  s.core.delivery.closeSession(session);
  await s.close();
});

Deno.test("an unacknowledged message is not resent until the next drain", async () => {
  const s = await setup();
  const device = new ScriptedDevice();
  device.ack = () => false;
  const session = s.core.delivery.openSession(s.bob, "d1", device);
  await s.send(1);
  assert.equal(await s.core.delivery.drain(session), 0);
  await s.send(2);
  assert.equal(await s.core.delivery.drain(session), 0);
  assert.deepEqual(device.received.map((m) => m.seq), [1, 1, 2], "a drain resends what timed out");
  assert.equal(
    (await s.store.messages.listPending(s.bob, { limit: 10 })).length,
    2,
    "still pending",
  );
  device.ack = () => true;
  assert.equal(await s.core.delivery.drain(session), 2);
  s.core.delivery.closeSession(session);
  await s.close();
});

Deno.test("a send wakes the recipient's open session; the message is new", async () => {
  const s = await setup();
  const device = new ScriptedDevice();
  const session = s.core.delivery.openSession(s.bob, "d1", device);
  await s.core.delivery.drain(session);
  const sent = await s.send(1);
  assert.equal(await s.core.delivery.drain(session), 1);
  assert.equal(device.received[0].id, sent.id);
  assert.equal(device.received[0].isNew, true);
  s.core.delivery.closeSession(session);
  await s.close();
});

Deno.test("markRead tells the sender, once per message, and moves the unread count", async () => {
  const s = await setup();
  for (let i = 1; i <= 3; i++) await s.send(i);
  await s.core.delivery.markRead(s.bob, { chatId: s.chatId, upToSeq: 2 });
  await s.core.delivery.markRead(s.bob, { chatId: s.chatId, upToSeq: 2 });
  const reads = s.notifier.emitted.filter((e) =>
    e.event === "message:status" && e.payload.status === "read"
  );
  assert.deepEqual(reads.map((e) => e.payload.userId), [s.bob, s.bob]);
  const { chats } = await s.core.chats.list(s.bob, { limit: 10 });
  assert.equal(chats[0].unreadCount, 1);
  const last = chats[0].lastMessage!;
  await s.core.delivery.markRead(s.bob, { chatId: s.chatId, messageIds: [last.id] });
  assert.equal((await s.core.chats.list(s.bob, { limit: 10 })).chats[0].unreadCount, 0);
  await s.close();
});

Deno.test("a live message goes straight to the device, never ahead of one it has not seen", async (t) => {
  const s = await setup();
  const device = new ScriptedDevice();
  const session = s.core.delivery.openSession(s.bob, "d1", device);
  await s.core.delivery.drain(session);

  await t.step("in sequence: delivered at once, within the send", async () => {
    await s.send(1); // the first of the chat: the session learns where the chat stands
    await s.core.delivery.drain(session);
    await s.send(2);
    assert.equal(device.received.at(-1)?.seq, 2, "emitted before send() returned");
  });

  await t.step("after a message stored elsewhere: the backlog keeps the order", async () => {
    // Stored without this node's send path (as by another node whose ring is late).
    await s.store.messages.append({
      id: crypto.randomUUID(),
      clientMsgId: "elsewhere",
      chatId: s.chatId,
      senderId: s.alice,
      content: "from another node",
      createdAt: new Date().toISOString(),
    });
    await s.send(4);
    await s.core.delivery.drain(session);
    assert.deepEqual(device.received.map((m) => m.seq), [1, 2, 3, 4]);
  });
  s.core.delivery.closeSession(session);
  await s.close();
});

Deno.test("a message another device acknowledged first: in its place, never out of order", async (t) => {
  const s = await setup();
  // Another device of Bob's acknowledged `message`: it left his backlog.
  const acknowledgedElsewhere = async (message: { id: string; seq: number }) => {
    const ref = { chatId: s.chatId, seq: message.seq, messageId: message.id, senderId: s.alice };
    await s.store.messages.markDelivered(s.bob, [ref], new Date().toISOString());
    return (await s.store.messages.get(message.id))!;
  };
  const [first, second] = [await s.send(1), await s.send(2)];
  const firstRecord = await acknowledgedElsewhere(first);
  const device = new ScriptedDevice();
  const session = s.core.delivery.openSession(s.bob, "d2", device);

  await t.step("offered while the backlog read is under way: before the later one", async () => {
    session.kick(); // busy: its backlog read, which lists only the second, is under way
    s.core.delivery.wakeLocal([s.bob], [firstRecord]); // as a ring from its node brings it
    await s.core.delivery.drain(session);
    assert.deepEqual(device.received.map((m) => [m.seq, m.id]), [[1, first.id], [2, second.id]]);
  });

  await t.step(
    "offered after a later one went out: not at all, rather than out of order",
    async () => {
      s.core.delivery.closeSession(session);
      const [third, fourth] = [await s.send(3), await s.send(4)];
      const thirdRecord = await acknowledgedElsewhere(third);
      const late = new ScriptedDevice();
      const next = s.core.delivery.openSession(s.bob, "d3", late);
      await s.core.delivery.drain(next); // the fourth goes out from the backlog
      s.core.delivery.wakeLocal([s.bob], [thirdRecord]); // the third's ring, late
      await s.core.delivery.drain(next);
      assert.deepEqual(late.received.map((m) => [m.seq, m.id]), [[4, fourth.id]]);
      s.core.delivery.closeSession(next);
    },
  );
  await s.close();
});
