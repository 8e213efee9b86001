/**
 * The job queues under a real server: a job a closing server was still retrying
 * goes back to its queue (the KV file embedded, RabbitMQ with `AMQP_URL`), and
 * the server started next sends it. The app's events stand for every job (push
 * notifications share the queues' code).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { api, directChat, register, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { AMQP_URL, serviceUp, uniquePrefix } from "../_helpers/services.ts";
import { webhookReceiver } from "../_helpers/webhook.ts";
import type { AppEvent } from "../../src/protocol/mod.ts";

const rabbitUp = await serviceUp("RabbitMQ", AMQP_URL);

const modes: { mode: string; env: Record<string, string>; ignore: boolean }[] = [
  { mode: "embedded", env: {}, ignore: false },
  { mode: "rabbitmq", env: { AMQP_URL }, ignore: !rabbitUp },
];

for (const { mode, env: backends, ignore } of modes) {
  Deno.test({
    name: `app events (${mode}): events waiting for a retry survive a restart`,
    ignore,
    fn: async () => {
      const hook = await webhookReceiver<AppEvent>();
      hook.down = true;
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
      const res = await api(first.url, "POST", `/api/chats/${chatId}/messages`, {
        token: alice.token,
        body: { content: "across a restart" },
      });
      assert.equal(res.status, 201);
      await until("the first attempt failed", () => hook.calls() === 1);
      // Waiting a minute for its second attempt when it closes: handed back to the queue.
      await first.close();
      hook.down = false;
      const second = await startTestServer(env);
      await until("sent by the next server", () => hook.jobs.length === 1);
      assert.equal(hook.jobs[0].data.message.id, res.body.message.id);
      await second.close();
      await hook.close();
      await Deno.remove(env.DATA_DIR, { recursive: true });
    },
  });
}
