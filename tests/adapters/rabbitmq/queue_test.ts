/**
 * The RabbitMQ offline queue: the queue contract, then what the broker itself
 * must show: persistent copies behind confirms, the length limit dropping the
 * oldest, copies held until settled, and drains going on when the store cannot
 * be read.
 */
import assert from "node:assert/strict";
import amqp from "amqplib";
import { openKvStore } from "../../../src/adapters/kv/mod.ts";
import { RabbitOfflineQueue } from "../../../src/adapters/rabbitmq/mod.ts";
import { Keyring } from "../../../src/adapters/crypto/mod.ts";
import { openMessage } from "../../../src/core/sealing.ts";
import type { MessageStore } from "../../../src/core/ports.ts";
import type { MessageRecord } from "../../../src/core/types.ts";
import { queueContract } from "../../contract/queue.ts";
import { chat, draft, now, ref } from "../../contract/_store_fixtures.ts";
import { AMQP_URL, serviceUp, uniquePrefix } from "../../_helpers/services.ts";

const up = await serviceUp("RabbitMQ", AMQP_URL);

async function openQueue(
  options: { maxLength?: number; prefetch?: number; store?: MessageStore; cipher?: Keyring } = {},
) {
  const dir = await Deno.makeTempDir({ prefix: "rabbit-" });
  const store = await openKvStore({ path: `${dir}/chat.kv` });
  const queuePrefix = uniquePrefix();
  const queue = new RabbitOfflineQueue({
    url: AMQP_URL,
    queuePrefix,
    messageTtlMs: 60_000,
    maxLength: options.maxLength ?? 1000,
    prefetch: options.prefetch ?? 64,
    store: options.store ?? store.messages,
    cipher: options.cipher,
  });
  assert.equal(await queue.open(), true);
  return {
    store,
    queue,
    queuePrefix,
    cleanup: async () => {
      await queue.close();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Message count of a user's queue as the broker reports it (ready, not held). */
async function depth(name: string): Promise<number> {
  const connection = await amqp.connect(AMQP_URL);
  const channel = await connection.createChannel();
  try {
    return (await channel.checkQueue(name)).messageCount;
  } finally {
    await channel.deleteQueue(name, {}).catch(() => {});
    await connection.close();
  }
}

function message(i: number, chatId = "c"): MessageRecord {
  return {
    id: chatId === "c" ? `m${i}` : `${chatId}-m${i}`,
    clientMsgId: `k${i}`,
    chatId,
    senderId: "s",
    seq: i,
    content: `m${i}`,
    createdAt: new Date().toISOString(),
    recipientIds: ["r"],
  };
}

/** Creates a chat of s and r, and stores and enqueues `count` messages of s to r. */
async function seed(q: Awaited<ReturnType<typeof openQueue>>, count: number) {
  const group = chat("group", ["s", "r"]);
  await q.store.chats.createGroup(group);
  const sent: MessageRecord[] = [];
  for (let i = 1; i <= count; i++) {
    const { message } = await q.store.messages.append(draft(group.id, "s"));
    await q.queue.enqueue("r", message);
    sent.push(message);
  }
  return sent;
}

queueContract("rabbitmq", openQueue, { ignore: !up });

Deno.test({
  name: "rabbitmq queue: broker-side behaviour",
  ignore: !up,
  fn: async (t) => {
    await t.step("the length limit drops the oldest copies", async () => {
      const q = await openQueue({ maxLength: 5 });
      for (let i = 1; i <= 8; i++) await q.queue.enqueue("r", message(i));
      await q.cleanup();
      assert.equal(await depth(`${q.queuePrefix}offline.r`), 5);
    });

    await t.step("copies stay in the queue until settled, and released ones go back", async () => {
      const q = await openQueue();
      const sent = await seed(q, 4);
      assert.equal((await q.queue.backlog("r", { limit: 100 })).length, 4); // takes and holds the copies
      const settled = sent.slice(0, 2).map(ref);
      await q.store.messages.markDelivered("r", settled, now());
      await q.queue.settle("r", settled);
      await q.queue.release("r");
      await q.cleanup();
      assert.equal(await depth(`${q.queuePrefix}offline.r`), 2, "two settled, two requeued");
    });
    await t.step("a drain that finds the whole backlog leaves no copy behind", async () => {
      const q = await openQueue({ prefetch: 4 });
      const sent = await seed(q, 10);
      // Delivered by another node, say, which never took these copies.
      await q.store.messages.markDelivered("r", sent.slice(0, 8).map(ref), now());
      const page = await q.queue.backlog("r", { limit: 100 });
      assert.deepEqual(page.map((m) => m.id), sent.slice(8).map((m) => m.id));
      // The taking runs beside the drain: release waits for it, and returns what it holds.
      await q.queue.release("r");
      await q.cleanup();
      assert.equal(await depth(`${q.queuePrefix}offline.r`), 0, "stale acked, the rest purged");
    });

    await t.step(
      "when the store cannot be read, the drain goes on from the held copies, not past their time",
      async () => {
        const dir = await Deno.makeTempDir({ prefix: "rabbit-broken-" });
        const broken = await openKvStore({ path: `${dir}/chat.kv` });
        await broken.close(); // every read now fails
        const q = await openQueue({ store: broken.messages });
        const inAMinute = new Date(Date.now() + 60_000).toISOString();
        const past = new Date(Date.now() - 1).toISOString();
        const timed = [
          { ...message(3, "b"), expiresAt: inAMinute },
          { ...message(4, "b"), expiresAt: past },
        ];
        for (const m of [message(2, "b"), message(1, "b"), message(1, "a"), ...timed]) {
          await q.queue.enqueue("r", m);
        }
        const page = await q.queue.backlog("r", { limit: 100 });
        assert.deepEqual(
          page.map((m) => `${m.chatId}${m.seq}`),
          ["a1", "b1", "b2", "b3"],
          `in (chat, seq) order: ${JSON.stringify(page.map((m) => m.id))}`,
        );
        await q.cleanup();
        await Deno.remove(dir, { recursive: true });
      },
    );

    await t.step(
      "copies on the broker are encrypted when a cipher is given, file names too",
      async () => {
        const keys = { k1: btoa("c".repeat(32)) };
        const cipher = await Keyring.create({ currentId: "k1", keys });
        const { queue, queuePrefix, cleanup } = await openQueue({ cipher });
        const attachments = [{
          id: "f1",
          name: "RAW-NAME-CHECK.pdf",
          type: "application/pdf",
          size: 3,
        }];
        await queue.enqueue("r", { ...message(1), content: "RAW-PLAINTEXT-CHECK", attachments });
        await queue.close();
        const connection = await amqp.connect(AMQP_URL);
        const channel = await connection.createChannel();
        const got = await channel.get(`${queuePrefix}offline.r`, { noAck: true });
        assert.ok(got);
        const body = got.content.toString();
        assert.ok(!body.includes("RAW-PLAINTEXT-CHECK"), "no plaintext on the broker");
        assert.ok(!body.includes("RAW-NAME-CHECK"), "no file name either");
        const opened = await openMessage(cipher, JSON.parse(body));
        assert.equal(opened.content, "RAW-PLAINTEXT-CHECK");
        assert.deepEqual(opened.attachments, attachments);
        await channel.deleteQueue(`${queuePrefix}offline.r`);
        await connection.close();
        await cleanup();
      },
    );
    await t.step(
      "without a broker, enqueue fails fast with unavailable and ping says down",
      async () => {
        const queue = new RabbitOfflineQueue({
          url: "amqp://guest:guest@127.0.0.1:1",
          queuePrefix: uniquePrefix(),
          messageTtlMs: 1000,
          maxLength: 10,
          prefetch: 10,
          store: {} as MessageStore,
        });
        assert.equal(await queue.open(), false);
        await assert.rejects(queue.enqueue("r", message(1)), { name: "UnavailableError" });
        await assert.rejects(queue.ping());
        await queue.close();
      },
    );
  },
});
