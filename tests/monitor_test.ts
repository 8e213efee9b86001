/**
 * What `/metrics` reports about the backlog, dependencies and the queue, read
 * from a real server, embedded and with Redis + RabbitMQ.
 * @module
 */
import assert from "node:assert/strict";
import { connect, directChat, emitAck, register, scrape, until } from "./_helpers/client.ts";
import { startTestServer } from "./_helpers/server.ts";
import { AMQP_URL, REDIS_URL, serviceUp, uniquePrefix } from "./_helpers/services.ts";

function monitorSuite(name: string, env: Record<string, string>, services: boolean) {
  Deno.test(`metrics: backlog per user, alert line, dependencies (${name})`, async () => {
    const server = await startTestServer({ ...env, RATE_LIMIT_MESSAGES: "100000" });
    const { url } = server;
    const [alice, bob] = [await register(url, "alice"), await register(url, "bob")];
    const chatId = await directChat(url, alice, bob);
    const a = await connect(url, alice.token);
    const send = (i: number) =>
      emitAck(a, "message:send", { chatId, content: `m${i}`, clientMsgId: `m${i}` });
    await Promise.all(Array.from({ length: 1001 }, (_, i) => send(i)));

    let value = await scrape(url);
    assert.equal(value("chat_backlog_messages"), 1001);
    assert.equal(value("chat_backlog_messages_per_user_count"), 1, "one user has a backlog");
    assert.equal(value('chat_backlog_messages_per_user_bucket{le="1000"}'), 0);
    assert.equal(value("chat_backlog_users_over_alert"), 1);
    await until("the dependency check ran", async () => {
      value = await scrape(url);
      return value('chat_dependency_up{dependency="store"}') === 1;
    });
    assert.equal(value('chat_dependency_up{dependency="queue"}'), 1);
    if (services) {
      assert.equal(value('chat_queue_publish_confirms_total{result="ack"}'), 1001);
    }

    const b = await connect(url, bob.token);
    await until("bob has the backlog", () => b.received.length === 1001, 30_000);
    // The backlog is read from the store at each scrape, while the delivered counter moves
    // when the ack's commit has come back to the main thread: a scrape can fall between.
    await until("the backlog is gone and counted delivered", async () => {
      value = await scrape(url);
      return value("chat_backlog_messages") === 0 &&
        value("chat_messages_delivered_total") >= 1001;
    });
    assert.equal(value("chat_backlog_users_over_alert"), 0);
    a.close();
    b.close();
    await server.close();
  });
}

monitorSuite("embedded", {}, false);
const up = await serviceUp("Redis", REDIS_URL) && await serviceUp("RabbitMQ", AMQP_URL);
if (up) monitorSuite("redis + rabbitmq", { REDIS_URL, AMQP_URL, KEY_PREFIX: uniquePrefix() }, true);
