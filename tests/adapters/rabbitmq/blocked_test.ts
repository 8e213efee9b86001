/**
 * A broker in a resource alarm blocks every connection that publishes, for as
 * long as the alarm lasts. Sends must go on: their offline copies and events
 * fail at once (the store's pending index has the message), the recipient still
 * gets everything, and the server still stops.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import {
  api,
  connect,
  directChat,
  emitAck,
  register,
  scrape,
  until,
  within,
} from "../../_helpers/client.ts";
import { duringMemoryAlarm } from "../../_helpers/faults.ts";
import { startTestServer } from "../../_helpers/server.ts";
import { AMQP_URL, serviceUp, uniquePrefix } from "../../_helpers/services.ts";
import { webhookReceiver } from "../../_helpers/webhook.ts";
import type { AppEvent } from "../../../src/protocol/mod.ts";

const up = await serviceUp("RabbitMQ", AMQP_URL);

Deno.test({
  name: "rabbitmq in a memory alarm: sends go on, the offline get everything, the server stops",
  ignore: !up,
  fn: async () => {
    const hook = await webhookReceiver<AppEvent>();
    const pushes = await webhookReceiver();
    const server = await startTestServer({
      AMQP_URL,
      KEY_PREFIX: uniquePrefix(),
      EVENTS_WEBHOOK_URL: hook.url,
      PUSH_WEBHOOK_URL: pushes.url,
      WEBHOOK_SECRET: `whsec_${randomBytes(32).toString("base64")}`,
    });
    const { url } = server;
    const [alice, bob] = [await register(url), await register(url)];
    const chatId = await directChat(url, alice, bob);
    const a = await connect(url, alice.token);
    // A copy in bob's RabbitMQ queue: the connection has published, so the alarm blocks it.
    await emitAck(a, "message:send", { chatId, content: "before", clientMsgId: "b0" });
    await until("the chat's and the first message's events sent", () => hook.jobs.length === 2);

    await duringMemoryAlarm(async () => {
      const sent = await emitAck(a, "message:send", {
        chatId,
        content: "during",
        clientMsgId: "b1",
      });
      assert.equal(sent.message.seq, 2);
      const res = await api(url, "POST", `/api/chats/${chatId}/messages`, {
        token: alice.token,
        body: { content: "over rest" },
      });
      assert.equal(res.status, 201);
      // Neither event nor push (bob is offline) could be queued: dropped, counted,
      // and the alert can fire.
      assert.equal((await scrape(url))("chat_app_events_dropped_total"), 2);
      assert.equal((await scrape(url))("chat_push_dropped_total"), 2);
      const health = await api(url, "GET", "/health");
      assert.equal(health.status, 200);
      assert.deepEqual(health.body, {
        status: "degraded",
        deps: { store: "ok", presence: "ok", queue: "down" },
      });

      const b = await connect(url, bob.token);
      await until("bob has his backlog", () => b.received.length === 3);
      assert.deepEqual(b.received.map((m) => m.content), ["before", "during", "over rest"]);
      b.socket.close();
      a.socket.close();
      await within(server.close(), "the server stopped", 10_000);
    });
    await hook.close();
    await pushes.close();
  },
});
