/**
 * Faults: Redis and RabbitMQ connections cut during traffic, the broker stopped
 * and started, Redis unreachable. Sends keep being acknowledged, every
 * acknowledged message arrives exactly once as the client sees it (repeats
 * dropped by id), /health says what is down, and the server recovers by itself.
 */
import assert from "node:assert/strict";
import {
  api,
  connect,
  directChat,
  emitAck,
  register,
  scrape,
  settled,
  type TestSocket,
  until,
} from "../_helpers/client.ts";
import { killRedisClients, rabbitmqctl } from "../_helpers/faults.ts";
import { startTestServer } from "../_helpers/server.ts";
import { AMQP_URL, REDIS_URL, serviceUp, uniquePrefix } from "../_helpers/services.ts";

const up = await serviceUp("Redis", REDIS_URL) && await serviceUp("RabbitMQ", AMQP_URL);

const health = async (url: string) => (await api(url, "GET", "/health")).body;

function assertExactlyOnce(t: TestSocket, ids: string[]) {
  const firsts = new Map<string, number>();
  t.received.forEach((m, i) => firsts.has(m.id) || firsts.set(m.id, i));
  assert.deepEqual(
    [...firsts.keys()].sort(),
    [...ids].sort(),
    "every acknowledged message, once after dropping repeats",
  );
  const order = t.received.filter((m, i) => firsts.get(m.id) === i).map((m) => m.seq);
  assert.deepEqual(order, [...order].sort((x, y) => x - y), "in seq order");
}

Deno.test({
  name: "connections cut during traffic lose nothing",
  ignore: !up,
  fn: async () => {
    const keyPrefix = uniquePrefix();
    // One user sends 150 messages here: lift the default limit of 50 a minute.
    const server = await startTestServer({
      REDIS_URL,
      AMQP_URL,
      KEY_PREFIX: keyPrefix,
      RATE_LIMIT_MESSAGES: "100000",
    });
    const { url } = server;
    const [alice, bob, carol] = [await register(url), await register(url), await register(url)];
    const group = await api(url, "POST", "/api/chats", {
      token: alice.token,
      body: { type: "group", participantIds: [bob.user.id, carol.user.id] },
    });
    const chatId = group.body.chat.id;
    const sender = await connect(url, alice.token);
    const online = await connect(url, bob.token);
    await settled(online);

    const acked: string[] = [];
    for (let i = 0; i < 150; i++) {
      if (i === 50) {
        assert.ok(
          await killRedisClients(`${keyPrefix}chat`) > 0,
          "cut the server's Redis connections",
        );
      }
      if (i === 100) await rabbitmqctl("close_all_connections", "fault test");
      const ack = await emitAck(sender, "message:send", {
        chatId,
        content: `f${i}`,
        clientMsgId: `f${i}`,
      });
      assert.equal(ack.ok, true, `send ${i} acknowledged`);
      acked.push(ack.message.id);
    }
    await until(
      "bob, online throughout, has all",
      () => new Set(online.received.map((m) => m.id)).size === 150,
      15_000,
    );
    assertExactlyOnce(online, acked);
    const late = await connect(url, carol.token);
    await until(
      "carol, offline throughout, has all",
      () => new Set(late.received.map((m) => m.id)).size === 150,
      15_000,
    );
    assertExactlyOnce(late, acked);
    await until("recovered", async () => (await health(url)).status === "ok", 15_000);

    sender.close();
    online.close();
    late.close();
    await server.close();
  },
});

Deno.test({
  name: "a stopped broker degrades health, not sends, and is recovered",
  ignore: !up,
  fn: async () => {
    const server = await startTestServer({ REDIS_URL, AMQP_URL, KEY_PREFIX: uniquePrefix() });
    const { url } = server;
    const [alice, bob] = [await register(url), await register(url)];
    const chatId = await directChat(url, alice, bob);
    const sender = await connect(url, alice.token);
    await rabbitmqctl("stop_app");
    try {
      await until("queue down", async () => (await health(url)).deps.queue === "down");
      const report = await health(url);
      assert.equal(report.status, "degraded");
      assert.equal(report.deps.store, "ok");
      const queueUp = async () => (await scrape(url))('chat_dependency_up{dependency="queue"}');
      await until("metrics show the queue down", async () => (await queueUp()) === 0);
      const ack = await emitAck(sender, "message:send", {
        chatId,
        content: "while the broker is down",
        clientMsgId: "b1",
      });
      assert.equal(ack.ok, true);
      const b = await connect(url, bob.token);
      await until("delivered from the store's pending index", () => b.received.length === 1);
      b.close();
    } finally {
      await rabbitmqctl("start_app");
      await rabbitmqctl("await_startup");
    }
    await until("queue back", async () => (await health(url)).status === "ok", 20_000);
    await until(
      "metrics show the queue up",
      async () => (await (await scrape(url))('chat_dependency_up{dependency="queue"}')) === 1,
    );
    sender.close();
    await server.close();
  },
});

Deno.test({
  name: "an unreachable Redis degrades presence, not sends",
  ignore: !up,
  fn: async () => {
    const server = await startTestServer({
      REDIS_URL: "redis://127.0.0.1:1",
      KEY_PREFIX: uniquePrefix(),
    });
    const { url } = server;
    const report = await health(url);
    assert.deepEqual([report.status, report.deps.presence, report.deps.store], [
      "degraded",
      "down",
      "ok",
    ]);
    const [alice, bob] = [await register(url), await register(url)];
    const chatId = await directChat(url, alice, bob);
    const a = await connect(url, alice.token);
    const b = await connect(url, bob.token);
    const ack = await emitAck(a, "message:send", {
      chatId,
      content: "no redis",
      clientMsgId: "r1",
    });
    assert.equal(ack.ok, true);
    await until("delivered", () => b.received.length === 1);
    a.close();
    b.close();
    await server.close();
  },
});
