/**
 * Push notifications to a local webhook receiver: only for recipients with no
 * connected device, not suspended, who did not mute the chat; retried with
 * backoff, and never in the way of delivery.
 * Embedded (in-process queue) and with RabbitMQ (durable work queue).
 */
import assert from "node:assert/strict";
import {
  api,
  connect,
  directChat,
  emitAck,
  logIn,
  register,
  settled,
  sleep,
  until,
} from "../_helpers/client.ts";
import { ADMIN_TOKEN, startTestServer } from "../_helpers/server.ts";
import { AMQP_URL, serviceUp, uniquePrefix } from "../_helpers/services.ts";
import type { PushJob } from "../../src/core/ports.ts";
import { webhookReceiver } from "../_helpers/webhook.ts";

const rabbitUp = await serviceUp("RabbitMQ", AMQP_URL);

function pushSuite(mode: string, env: Record<string, string>, ignore = false) {
  Deno.test({
    name: `push notifications (${mode})`,
    ignore,
    fn: async (t) => {
      const hook = await webhookReceiver<PushJob>(2);
      const server = await startTestServer({
        PUSH_WEBHOOK_URL: hook.url,
        PUSH_RETRY_BASE_MS: "20",
        ADMIN_TOKEN,
        ...env,
      });
      const { url } = server;
      const [alice, bob] = [await register(url, "alice"), await register(url, "bob")];
      const chatId = await directChat(url, alice, bob);
      const a = await connect(url, alice.token);

      await t.step("an offline recipient is notified, after the webhook failed twice", async () => {
        const content = "x".repeat(60) + "é".repeat(60);
        const sent = await emitAck(a, "message:send", { chatId, content, clientMsgId: "p1" });
        await until("webhook got the job", () => hook.jobs.length === 1);
        assert.equal(hook.calls(), 3, "two failures, then success");
        assert.deepEqual(hook.jobs[0], {
          recipientId: bob.user.id,
          chatId,
          messageId: sent.message.id,
          senderName: alice.user.displayName,
          preview: [...content].slice(0, 100).join(""),
        });
      });

      await t.step("an online recipient gets the message, not a push", async () => {
        const b = await connect(url, bob.token);
        await settled(b);
        await emitAck(a, "message:send", { chatId, content: "you are here", clientMsgId: "p2" });
        await until("delivered live", () => b.received.some((m) => m.content === "you are here"));
        await sleep(300);
        assert.equal(hook.jobs.length, 1);
        b.close();
      });

      await t.step("no push while the recipient is suspended", async () => {
        const suspension = (method: string) =>
          api(url, method, `/api/admin/users/${bob.user.id}/suspension`, {
            token: ADMIN_TOKEN,
            body: method === "PUT" ? { reason: "spam" } : undefined,
          });
        assert.equal((await suspension("PUT")).status, 200);
        const out = await emitAck(a, "message:send", { chatId, content: "s1", clientMsgId: "s1" });
        assert.equal((await suspension("DELETE")).status, 204);
        bob.token = (await logIn(url, bob)).body.token; // the suspension ended his logins
        const back = await emitAck(a, "message:send", { chatId, content: "s2", clientMsgId: "s2" });
        await until(
          "the push after the suspension",
          () => hook.jobs.some((j) => j.messageId === back.message.id),
        );
        assert.equal(hook.jobs.some((j) => j.messageId === out.message.id), false);
      });

      await t.step("no push while the recipient mutes the chat, but for a mention", async () => {
        const mute = (body: unknown) =>
          api(url, "PUT", `/api/chats/${chatId}/mute`, { token: bob.token, body });
        const send = async (clientMsgId: string) =>
          (await emitAck(a, "message:send", { chatId, content: clientMsgId, clientMsgId }))
            .message.id;
        const pushed = (messageId: string) => hook.jobs.some((j) => j.messageId === messageId);
        assert.equal((await mute({})).status, 200);
        const silenced = await send("p3");
        const named = (await emitAck(a, "message:send", {
          chatId,
          content: "@bob urgent",
          clientMsgId: "p3m",
          mentions: [bob.user.id],
        })).message.id;
        await until("a mention goes through the mute", () => pushed(named));
        assert.equal(hook.jobs.find((j) => j.messageId === named)?.mentioned, true);
        const bobs = await api(url, "POST", `/api/chats/${chatId}/messages`, {
          token: bob.token,
          body: { content: "from bob" },
        });
        const answer = (await emitAck(a, "message:send", {
          chatId,
          content: "re: yours",
          clientMsgId: "p3r",
          replyToId: bobs.body.message.id,
        })).message.id;
        await until("a reply to him goes through the mute", () => pushed(answer));
        await api(url, "DELETE", `/api/chats/${chatId}/mute`, { token: bob.token });
        const loud = await send("p4");
        await until("the push after unmuting", () => pushed(loud));
        assert.equal(pushed(silenced), false, "none while muted");

        assert.equal((await mute({ until: new Date(Date.now() + 500).toISOString() })).status, 200);
        const early = await send("p5");
        await sleep(600);
        const late = await send("p6");
        await until("the push after the mute ended", () => pushed(late));
        assert.equal(pushed(early), false, "none before it ended");
      });

      a.close();
      await server.close();
      await hook.close();
    },
  });
}

pushSuite("embedded", {});
pushSuite("rabbitmq", { AMQP_URL, KEY_PREFIX: uniquePrefix() }, !rabbitUp);
