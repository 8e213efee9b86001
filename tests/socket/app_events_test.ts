/**
 * The app's events webhook, against a local receiver: every message stored,
 * edited, reacted to and deleted comes as one signed POST (chats' events:
 * tests/http/app_chat_events_test.ts), checked with the
 * Standard Webhooks reference library; retries keep the event's id; a receiver
 * that stays down never holds up a send. Embedded and with RabbitMQ, where
 * events still waiting survive a restart of the server.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import {
  api,
  connect,
  directChat,
  emitAck,
  register,
  scrape,
  sleep,
  until,
} from "../_helpers/client.ts";
import { ADMIN_TOKEN, startTestServer } from "../_helpers/server.ts";
import { AMQP_URL, serviceUp, uniquePrefix } from "../_helpers/services.ts";
import { type Hit, webhookReceiver } from "../_helpers/webhook.ts";
import type { AppEvent, AppMessageEvent } from "../../src/protocol/mod.ts";
import type { PushJob } from "../../src/core/ports.ts";

const rabbitUp = await serviceUp("RabbitMQ", AMQP_URL);
const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

/** The event of a request, after its signature checked out under `secret`. */
function verified(secret: string, hit: Hit): AppMessageEvent {
  return new Webhook(secret).verify(hit.body, hit.headers) as AppMessageEvent;
}

function eventsSuite(mode: string, env: Record<string, string>, ignore = false) {
  Deno.test({
    name: `app events webhook (${mode})`,
    ignore,
    fn: async (t) => {
      const secret = newSecret();
      const hook = await webhookReceiver<AppEvent>();
      const messages = () =>
        hook.jobs.filter((e): e is AppMessageEvent => e.type.startsWith("message."));
      const pushes = await webhookReceiver<PushJob>();
      const server = await startTestServer({
        EVENTS_WEBHOOK_URL: hook.url,
        EVENTS_RETRY_BASE_MS: "20",
        PUSH_WEBHOOK_URL: pushes.url,
        WEBHOOK_SECRET: secret,
        ADMIN_TOKEN,
        ...env,
      });
      const { url } = server;
      const [alice, bob] = [await register(url, "alice"), await register(url, "bob")];
      const chatId = await directChat(url, alice, bob);
      const a = await connect(url, alice.token);
      const send = { chatId, content: "hello bob", clientMsgId: "e1" };
      let messageId = "";

      await t.step("the direct chat made first: chat.created", async () => {
        await until("its event", () => hook.jobs.length === 1);
        assert.equal(hook.jobs[0].type, "chat.created");
      });

      await t.step("a send: message.created, signed, after two failures with one id", async () => {
        const before = hook.calls();
        hook.failing = 2;
        const sent = await emitAck(a, "message:send", send);
        messageId = sent.message.id;
        await until("the event accepted", () => messages().length === 1);
        assert.equal(hook.calls() - before, 3, "two failures, then success");
        const ids = new Set(hook.hits.slice(before).map((h) => h.headers["webhook-id"]));
        assert.deepEqual([...ids], [`evt_${messageId}_0`], "one id on every attempt");
        const event = verified(secret, hook.hits[before + 2]);
        assert.equal(event.id, `evt_${messageId}_0`);
        assert.equal(event.type, "message.created");
        assert.equal(event.data.message.content, "hello bob");
        assert.equal(event.data.message.seq, 1);
        assert.equal(event.data.message.senderId, alice.user.id);
        assert.deepEqual(event.data.recipientIds, [bob.user.id]);
        assert.throws(() => verified(newSecret(), hook.hits[2]), "another secret fails");
      });

      await t.step("the push of the same message is signed with the same secret", async () => {
        await until("the push", () => pushes.jobs.length === 1);
        const job = new Webhook(secret).verify(pushes.hits[0].body, pushes.hits[0].headers);
        assert.equal((job as PushJob).messageId, messageId);
        assert.equal(pushes.hits[0].headers["webhook-id"], `push_${messageId}_${bob.user.id}`);
        await until(
          "counted as sent",
          async () => (await scrape(url))("chat_push_sent_total") === 1,
        );
      });

      await t.step(
        "a send repeated with its clientMsgId queues its event again, same id",
        async () => {
          const again = await emitAck(a, "message:send", send);
          assert.equal(again.message.id, messageId);
          await until("the second copy", () => messages().length === 2);
          assert.equal(messages()[1].id, messages()[0].id, "a receiver drops it by its id");
        },
      );

      await t.step("edit, reaction, delete: one event each, changeSeq growing", async () => {
        const edit = await api(url, "PUT", `/api/messages/${messageId}`, {
          token: alice.token,
          body: { content: "hello, bob" },
        });
        assert.equal(edit.status, 200);
        await until("the edit's event", () => messages().length === 3);
        await emitAck(a, "message:send", send);
        await until("a retry after the edit", () => messages().length === 4);
        assert.equal(messages()[3].type, "message.created");
        assert.equal(
          messages()[3].id,
          `evt_${messageId}_0`,
          "a creation's id, whatever came since",
        );
        const reaction = await emitAck(a, "message:reaction", { messageId, emoji: "👍" });
        assert.equal(reaction.ok, true);
        await until("the reaction's event", () => messages().length === 5);
        const removed = await api(url, "DELETE", `/api/messages/${messageId}`, {
          token: alice.token,
        });
        assert.equal(removed.status, 204);
        await until("the deletion's event", () => messages().length === 6);
        const [edited, reacted, deleted] = ["edited", "reacted", "deleted"].map((type) =>
          verified(secret, hook.hits.find((h) => JSON.parse(h.body).type === `message.${type}`)!)
        );
        assert.deepEqual(
          [edited.type, reacted.type, deleted.type],
          ["message.edited", "message.reacted", "message.deleted"],
        );
        assert.equal(edited.data.message.content, "hello, bob");
        assert.deepEqual(reacted.data.message.reactions, { "👍": [alice.user.id] });
        assert.equal(deleted.data.message.content, "");
        assert.equal(deleted.data.message.deleted, true);
        const seqs = [edited, reacted, deleted].map((e) => e.data.message.changeSeq!);
        assert.deepEqual(seqs, [1, 2, 3]);
        assert.deepEqual(
          [edited, reacted, deleted].map((e) => e.id),
          seqs.map((n) => `evt_${messageId}_${n}`),
        );
        assert.equal(edited.data.recipientIds, undefined, "only the creation names them");
      });

      await t.step("a REST send, and the operators taking it down", async () => {
        const res = await api(url, "POST", `/api/chats/${chatId}/messages`, {
          token: bob.token,
          body: { content: "over REST" },
        });
        assert.equal(res.status, 201);
        await until(
          "its event",
          () => messages().some((e) => e.data.message.content === "over REST"),
        );
        const id = res.body.message.id;
        const down = await api(url, "DELETE", `/api/admin/messages/${id}`, { token: ADMIN_TOKEN });
        assert.equal(down.status, 204);
        await until("the takedown's event", () => messages().length === 8);
        assert.equal(messages()[7].type, "message.deleted");
        assert.equal(messages()[7].data.message.id, id);
        // Counted once the answer is back, just after the receiver kept the event.
        await until(
          "nine counted as sent (with the chat's)",
          async () => (await scrape(url))("chat_app_events_sent_total") === 9,
        );
        assert.equal((await scrape(url))("chat_app_events_dropped_total"), 0);
      });

      a.close();
      await server.close();
      await hook.close();
      await pushes.close();
    },
  });
}

eventsSuite("embedded", {});
eventsSuite("rabbitmq", { AMQP_URL, KEY_PREFIX: uniquePrefix() }, !rabbitUp);

Deno.test("webhooks that stay down never hold up or lose a message", async () => {
  const [events, pushes] = [await webhookReceiver<AppEvent>(1_000), await webhookReceiver(1_000)];
  const server = await startTestServer({
    EVENTS_WEBHOOK_URL: events.url,
    EVENTS_RETRY_BASE_MS: "10",
    EVENTS_MAX_ATTEMPTS: "3",
    PUSH_WEBHOOK_URL: pushes.url,
    PUSH_RETRY_BASE_MS: "10",
    PUSH_MAX_ATTEMPTS: "3",
    WEBHOOK_SECRET: newSecret(),
  });
  const [alice, bob] = [await register(server.url), await register(server.url)];
  const chatId = await directChat(server.url, alice, bob);
  const a = await connect(server.url, alice.token);
  const sent = await emitAck(a, "message:send", { chatId, content: "still", clientMsgId: "f1" });
  assert.equal(sent.ok, true);
  // Two events, the chat's creation and the message's.
  await until("three attempts each", () => events.calls() === 6 && pushes.calls() === 3);
  await until(
    "the events and the push counted as dropped",
    async () => {
      const metric = await scrape(server.url);
      return metric("chat_app_events_dropped_total") === 2 &&
        metric("chat_push_dropped_total") === 1;
    },
  );
  const b = await connect(server.url, bob.token);
  await until("delivered from the backlog", () => b.received.some((m) => m.id === sent.message.id));
  await sleep(100);
  assert.deepEqual([events.calls(), pushes.calls()], [6, 3], "no fourth attempt");
  a.close();
  b.close();
  await server.close();
  await events.close();
  await pushes.close();
});
