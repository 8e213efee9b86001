// deno-lint-ignore-file no-explicit-any -- tests read arbitrary JSON answers
/**
 * The delivery logic against the ports, without sockets: the real KV store and
 * memory adapters, a device channel that the test scripts, and a notifier that
 * records what the core emits.
 */
import assert from "node:assert/strict";
import { openKvStore } from "../../src/adapters/kv/mod.ts";
import {
  MemoryPresence,
  MemoryRateLimiter,
  PendingIndexQueue,
} from "../../src/adapters/memory/mod.ts";
import { createCore, type DeviceChannel, type Notifier } from "../../src/core/mod.ts";
import { createJwtSigner } from "../../src/http/tokens.ts";
import { createLogger } from "../../src/log.ts";
import { PrometheusMetrics } from "../../src/metrics.ts";
import type { MessageView } from "../../src/protocol/mod.ts";

/** A device whose acks the test controls. */
class ScriptedDevice implements DeviceChannel {
  received: MessageView[] = [];
  inFlight = 0;
  maxInFlight = 0;
  ack: (m: MessageView) => boolean = () => true;
  deliver(message: MessageView): Promise<boolean> {
    this.received.push(message);
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    // Ack on a later macrotask so several messages are in flight at once.
    return new Promise((resolve) =>
      setTimeout(() => {
        this.inFlight--;
        resolve(this.ack(message));
      }, 1)
    );
  }
}

/** A notifier that records emits. */
class RecordingNotifier implements Notifier {
  emitted: { userIds: readonly string[]; event: string; payload: any }[] = [];
  emit(userIds: readonly string[], event: string, payload: unknown): void {
    this.emitted.push({ userIds, event, payload });
  }
  ring(): void {}
  revokeToken(): void {}
  leaveChat(): void {}
}

async function setup(window = 4) {
  const dir = await Deno.makeTempDir({ prefix: "core-" });
  const store = await openKvStore({ path: `${dir}/chat.kv` });
  const notifier = new RecordingNotifier();
  const core = createCore({
    store,
    presence: new MemoryPresence(),
    queue: new PendingIndexQueue(store.messages),
    notifier,
    tokens: createJwtSigner({ secret: "x".repeat(32), ttlSeconds: 60 }),
    limiter: new MemoryRateLimiter(),
    logger: createLogger("error", () => {}),
    metrics: new PrometheusMetrics(),
  }, {
    maxMessageChars: 100,
    maxGroupSize: 10,
    directChatPolicy: "contacts",
    deliveryWindow: window,
    backlogPageSize: 5,
    limits: {
      messages: { limit: 1000, windowMs: 60_000 },
      loginPerAccount: { limit: 100, windowMs: 60_000 },
      loginPerAddress: { limit: 100, windowMs: 60_000 },
    },
  });
  const alice = await core.auth.register({
    username: "alice",
    email: "a@x.io",
    password: "password1",
  });
  const bob = await core.auth.register({ username: "bob", email: "b@x.io", password: "password1" });
  await core.users.addFriend(alice.user.id, bob.user.id);
  const { chat } = await core.chats.create(alice.user.id, {
    type: "direct",
    participantIds: [bob.user.id],
  });
  const send = (i: number) =>
    core.delivery.send(alice.user.id, { chatId: chat.id, content: `m${i}`, clientMsgId: `k${i}` });
  return {
    core,
    store,
    notifier,
    chatId: chat.id,
    alice: alice.user.id,
    bob: bob.user.id,
    send,
    close: async () => {
      await core.delivery.flushed();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("delivery session drains the backlog in order within its window", async () => {
  const s = await setup(4);
  for (let i = 1; i <= 23; i++) await s.send(i);
  // isNew compares millisecond timestamps: a send in the connect's own millisecond counts as
  // new, so let the clock move on before connecting.
  await new Promise((resolve) => setTimeout(resolve, 2));
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
