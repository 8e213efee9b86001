// deno-lint-ignore-file no-explicit-any -- tests read arbitrary JSON answers
/**
 * Edit, delete, reactions, typing, join/leave and group participants through the
 * real socket and REST API: once embedded, once with real Redis and RabbitMQ.
 */
import assert from "node:assert/strict";
import {
  api,
  connect,
  directChat,
  emitAck,
  register,
  settled,
  type TestSocket,
  until,
} from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { AMQP_URL, REDIS_URL, serviceUp, uniquePrefix } from "../_helpers/services.ts";

const backendsUp = await serviceUp("Redis", REDIS_URL) && await serviceUp("RabbitMQ", AMQP_URL);
const event = (t: TestSocket, name: string) =>
  t.events.filter(([e]) => e === name).map(([, p]) => p as any);

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

      await t.step("edit: sender only, broadcast, in history", async () => {
        const sent = await emitAck(a, "message:send", {
          chatId,
          content: "helo",
          clientMsgId: "e1",
        });
        const edited = await emitAck(a, "message:edit", {
          messageId: sent.message.id,
          content: "hello",
        });
        assert.equal(edited.ok, true);
        assert.equal(edited.message.content, "hello");
        await until("message:edited", () => event(b, "message:edited").length === 1);
        assert.deepEqual({ ...event(b, "message:edited")[0], editedAt: "x" }, {
          messageId: sent.message.id,
          chatId,
          content: "hello",
          editedAt: "x",
        });
        const [stored] = await history(bob.token);
        assert.equal(stored.content, "hello");
        assert.equal(stored.editedAt, edited.message.editedAt);
        const notMine = await emitAck(b, "message:edit", {
          messageId: sent.message.id,
          content: "hijack",
        });
        assert.equal(notMine.error.code, "forbidden");
        const viaRest = await api(url, "PUT", `/api/messages/${sent.message.id}`, {
          token: alice.token,
          body: { content: "hello!" },
        });
        assert.equal(viaRest.status, 200);
        assert.equal(viaRest.body.message.content, "hello!");
        assert.equal(
          (await emitAck(a, "message:edit", { messageId: sent.message.id, content: " " })).error
            .code,
          "invalid_payload",
        );
        assert.equal(
          (await emitAck(a, "message:edit", { messageId: "nope", content: "x" })).error.code,
          "not_found",
        );
      });

      await t.step(
        "delete: tombstone in history, broadcast, content gone from the store",
        async () => {
          const sent = await emitAck(a, "message:send", {
            chatId,
            content: "secret plan",
            clientMsgId: "d1",
          });
          assert.equal(
            (await emitAck(b, "message:delete", { messageId: sent.message.id })).error.code,
            "forbidden",
          );
          assert.deepEqual(await emitAck(a, "message:delete", { messageId: sent.message.id }), {
            ok: true,
          });
          await until(
            "message:deleted",
            () => event(b, "message:deleted").some((p) => p.messageId === sent.message.id),
          );
          const stored = (await history(bob.token)).find((m: any) => m.id === sent.message.id);
          assert.equal(stored.deleted, true);
          assert.equal(stored.content, "");
          assert.equal(stored.seq, sent.message.seq, "the seq stays");
          assert.equal(
            (await emitAck(a, "message:edit", { messageId: sent.message.id, content: "again" }))
              .error.code,
            "conflict",
          );
          const rest = await emitAck(a, "message:send", {
            chatId,
            content: "to delete over REST",
            clientMsgId: "d2",
          });
          assert.equal(
            (await api(url, "DELETE", `/api/messages/${rest.message.id}`, { token: alice.token }))
              .status,
            204,
          );
        },
      );

      await t.step(
        "a backlog message deleted meanwhile arrives without its old content",
        async () => {
          b.close();
          const sent = await emitAck(a, "message:send", {
            chatId,
            content: "oops wrong chat",
            clientMsgId: "d3",
          });
          await emitAck(a, "message:delete", { messageId: sent.message.id });
          const back = await connect(url, bob.token);
          await until("backlog", () => back.received.some((m) => m.id === sent.message.id));
          const got = back.received.find((m) => m.id === sent.message.id)!;
          assert.equal(got.deleted, true);
          assert.equal(got.content, "");
          back.close();
        },
      );

      const b2 = await connect(url, bob.token);
      await settled(b2);

      await t.step("reactions toggle per user per emoji", async () => {
        const sent = await emitAck(a, "message:send", {
          chatId,
          content: "react to me",
          clientMsgId: "r1",
        });
        const first = await emitAck(b2, "message:reaction", {
          messageId: sent.message.id,
          emoji: "👍",
        });
        assert.deepEqual(first.reactions, { "👍": [bob.user.id] });
        const second = await emitAck(a, "message:reaction", {
          messageId: sent.message.id,
          emoji: "👍",
        });
        assert.deepEqual(second.reactions, { "👍": [bob.user.id, alice.user.id] });
        const again = await emitAck(b2, "message:reaction", {
          messageId: sent.message.id,
          emoji: "👍",
        });
        assert.deepEqual(again.reactions, { "👍": [alice.user.id] });
        await until("reactionUpdated", () => event(a, "message:reactionUpdated").length === 3);
        assert.deepEqual(event(a, "message:reactionUpdated")[2], {
          messageId: sent.message.id,
          chatId,
          reactions: { "👍": [alice.user.id] },
        });
        const stored = (await history(bob.token)).find((m: any) => m.id === sent.message.id);
        assert.deepEqual(stored.reactions, { "👍": [alice.user.id] });
        assert.equal(
          (await emitAck(b2, "message:reaction", { messageId: sent.message.id, emoji: "a b" }))
            .error.code,
          "invalid_payload",
        );
      });

      await t.step("typing starts once, expires by itself, and stops on request", async () => {
        await emitAck(a, "chat:typing", { chatId });
        await emitAck(a, "chat:typing", { chatId });
        await until("user:typing", () => event(b2, "user:typing").length === 1);
        assert.deepEqual(event(b2, "user:typing")[0], { chatId, userId: alice.user.id });
        await until("expired", () => event(b2, "user:stoppedTyping").length === 1, 3000);
        await emitAck(a, "chat:typing", { chatId });
        await emitAck(a, "chat:stopTyping", { chatId });
        await until("stopped", () => event(b2, "user:stoppedTyping").length === 2);
        assert.equal(event(a, "user:typing").length, 0, "not echoed to the typist");
        const outsider = await connect(url, carol.token);
        assert.equal((await emitAck(outsider, "chat:typing", { chatId })).error.code, "forbidden");
        outsider.close();
      });

      await t.step("join and leave report who has the chat open", async () => {
        const joinA = await emitAck(a, "chat:join", { chatId });
        assert.deepEqual(joinA.activeUserIds, [alice.user.id]);
        const joinB = await emitAck(b2, "chat:join", { chatId });
        assert.deepEqual(joinB.activeUserIds.sort(), [alice.user.id, bob.user.id].sort());
        await until(
          "user:joined",
          () => event(a, "user:joined").some((p) => p.userId === bob.user.id),
        );
        const left = await emitAck(b2, "chat:leave", { chatId });
        assert.deepEqual(left.activeUserIds, [alice.user.id]);
        await until("user:left", () => event(a, "user:left").some((p) => p.userId === bob.user.id));
        await until(
          "chat:activeUsers",
          () => event(a, "chat:activeUsers").some((p) => p.activeUserIds.length === 1),
        );
        const outsider = await connect(url, carol.token);
        assert.equal((await emitAck(outsider, "chat:join", { chatId })).error.code, "forbidden");
        outsider.close();
      });

      await t.step(
        "group participants: added members see history from joining; removed ones lose access",
        async () => {
          const created = await api(url, "POST", "/api/chats", {
            token: alice.token,
            body: { type: "group", name: "g", participantIds: [bob.user.id] },
          });
          const groupId = created.body.chat.id;
          await emitAck(a, "message:send", {
            chatId: groupId,
            content: "before carol",
            clientMsgId: "g1",
          });
          const added = await api(url, "POST", `/api/chats/${groupId}/participants`, {
            token: bob.token,
            body: { userId: carol.user.id },
          });
          assert.equal(added.status, 200);
          assert.equal(added.body.chat.participantIds.length, 3);
          await emitAck(a, "message:send", {
            chatId: groupId,
            content: "after carol",
            clientMsgId: "g2",
          });
          const seen = await history(carol.token, groupId);
          assert.deepEqual(seen.map((m: any) => m.content), ["after carol"]);
          const c = await connect(url, carol.token);
          await until("carol gets what came after", () => c.received.length === 1);
          assert.equal(c.received[0].content, "after carol");

          // Bob is offline with a pending message in the group when he is removed.
          b2.close();
          await emitAck(a, "message:send", {
            chatId: groupId,
            content: "bob should not get this",
            clientMsgId: "g3",
          });
          const removed = await api(
            url,
            "DELETE",
            `/api/chats/${groupId}/participants/${bob.user.id}`,
            { token: alice.token },
          );
          assert.equal(removed.status, 200);
          assert.deepEqual(
            removed.body.chat.participantIds.sort(),
            [alice.user.id, carol.user.id].sort(),
          );
          assert.equal(
            (await api(url, "GET", `/api/chats/${groupId}/messages`, { token: bob.token })).status,
            403,
          );
          const b3 = await connect(url, bob.token);
          await settled(b3);
          assert.ok(
            !b3.received.some((m) => m.chatId === groupId),
            "nothing more of the group reaches bob",
          );
          assert.equal(
            (await emitAck(b3, "message:send", {
              chatId: groupId,
              content: "hi",
              clientMsgId: "g4",
            })).error.code,
            "forbidden",
          );
          b3.close();
          // Carol has acknowledged g3 and bob is gone: every recipient left has it.
          const statusOf = async (content: string) =>
            (await history(alice.token, groupId)).find((m: any) => m.content === content)?.status;
          await until(
            "g3 delivered once bob no longer counts",
            async () => await statusOf("bob should not get this") === "delivered",
          );

          const onDirect = await api(url, "POST", `/api/chats/${chatId}/participants`, {
            token: alice.token,
            body: { userId: carol.user.id },
          });
          assert.equal(onDirect.status, 400);
          assert.equal(
            (await api(url, "POST", `/api/chats/${groupId}/participants`, {
              token: bob.token,
              body: { userId: bob.user.id },
            })).status,
            403,
          );
          assert.equal(
            (await api(url, "POST", `/api/chats/${groupId}/participants`, {
              token: alice.token,
              body: { userId: "ghost" },
            })).status,
            404,
          );
          c.close();
        },
      );

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
