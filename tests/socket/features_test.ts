/**
 * Edit, delete, reactions, typing, join/leave and group participants through the
 * real socket and REST API: once embedded, once with real Redis and RabbitMQ. The
 * steps are in `_feature_messages.ts` and `_feature_chats.ts`.
 */
import assert from "node:assert/strict";
import { api, connect, directChat, register, settled } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { AMQP_URL, REDIS_URL, serviceUp, uniquePrefix } from "../_helpers/services.ts";
import { messageSteps } from "./_feature_messages.ts";
import { chatSteps } from "./_feature_chats.ts";

const backendsUp = await serviceUp("Redis", REDIS_URL) && await serviceUp("RabbitMQ", AMQP_URL);

function featureSuite(mode: string, env: Record<string, string>, ignore = false) {
  Deno.test({
    name: `chat features (${mode})`,
    ignore,
    fn: async (t) => {
      const server = await startTestServer({ TYPING_TTL_MS: "600", ...env });
      const { url } = server;
      const [alice, bob, carol] = [await register(url), await register(url), await register(url)];
      const chatId = await directChat(url, alice, bob);
      const a = await connect(url, alice.token);
      const b = await connect(url, bob.token);
      await Promise.all([settled(a), settled(b)]);
      const history = async (token: string, id = chatId) =>
        (await api(url, "GET", `/api/chats/${id}/messages`, { token })).body.messages;

      const world = { url, alice, bob, carol, chatId, a, history };
      await messageSteps(t, world, b);

      const b2 = await connect(url, bob.token);
      await settled(b2);

      await chatSteps(t, world, b2);

      a.close();
      await server.close();
    },
  });
}

featureSuite("embedded", {});
featureSuite(
  "redis and rabbitmq",
  { REDIS_URL, AMQP_URL, KEY_PREFIX: uniquePrefix() },
  !backendsUp,
);

Deno.test("DIRECT_CHAT_POLICY=open lets anyone start a direct chat", async () => {
  const server = await startTestServer({ DIRECT_CHAT_POLICY: "open" });
  const [a, b] = [await register(server.url), await register(server.url)];
  const res = await api(server.url, "POST", "/api/chats", {
    token: a.token,
    body: { type: "direct", participantIds: [b.user.id] },
  });
  assert.equal(res.status, 201);
  await server.close();
});
