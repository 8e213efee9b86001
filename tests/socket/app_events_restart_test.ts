/**
 * The job queues under a real server: a job a closing server was still retrying
 * goes back to its queue (the KV file embedded, RabbitMQ with `AMQP_URL`), and
 * the server started next sends it. The app's events stand for every job (push
 * notifications share the queues' code).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { api, directChat, register, scrape, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { AMQP_URL, serviceUp, uniquePrefix } from "../_helpers/services.ts";
import { webhookReceiver } from "../_helpers/webhook.ts";
import type { AppEvent, AppMessageEvent } from "../../src/protocol/mod.ts";

const rabbitUp = await serviceUp("RabbitMQ", AMQP_URL);

// A node's worker holds 32 events at once (src/_job_queues.ts: the KV queue's claims,
// RabbitMQ's prefetch); the rest wait in the queue, as `chat_jobs_waiting` shows.
const taken = 32;
const count = taken + 8;
const modes = [
  { mode: "embedded", env: {} as Record<string, string>, ignore: false },
  { mode: "rabbitmq", env: { AMQP_URL }, ignore: !rabbitUp },
];

for (const { mode, env: backends, ignore } of modes) {
  Deno.test({
    name: `app events (${mode}): events waiting for a retry survive a restart`,
    ignore,
    fn: async () => {
      const hook = await webhookReceiver<AppEvent>();
      const env = {
        ...backends,
        KEY_PREFIX: uniquePrefix(),
        EVENTS_WEBHOOK_URL: hook.url,
        EVENTS_RETRY_BASE_MS: "60000",
        WEBHOOK_SECRET: `whsec_${randomBytes(32).toString("base64")}`,
        DATA_DIR: await Deno.makeTempDir({ prefix: "chat-test-" }),
      };
      const first = await startTestServer(env);
      const [alice, bob] = [await register(first.url), await register(first.url)];
      const chatId = await directChat(first.url, alice, bob);
      await until("the chat's event sent", () => hook.jobs.length === 1);
      hook.down = true;
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const res = await api(first.url, "POST", `/api/chats/${chatId}/messages`, {
          token: alice.token,
          body: { content: `across a restart ${i}` },
        });
        assert.equal(res.status, 201);
        ids.push(res.body.message.id);
      }
      await until("each taken event failed once", () => hook.calls() === 1 + taken);
      const waiting = `chat_jobs_waiting{queue="app.events"}`;
      await until(
        "the rest wait",
        async () => (await scrape(first.url))(waiting) === count - taken,
      );
      // Waiting a minute for their second attempt when it closes: handed back to the queue.
      await first.close();
      hook.down = false;
      const second = await startTestServer(env);
      await until("all sent by the next server", () => hook.jobs.length === 1 + count);
      const arrived = hook.jobs.slice(1) as AppMessageEvent[];
      assert.deepEqual(arrived.map((event) => event.data.message.id).sort(), ids.sort());
      await until("none wait", async () => (await scrape(second.url))(waiting) === 0);
      await second.close();
      await hook.close();
      await Deno.remove(env.DATA_DIR, { recursive: true });
    },
  });
}
