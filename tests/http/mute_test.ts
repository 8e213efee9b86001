/**
 * Muting a chat through real HTTP and sockets: the mute shows in the muter's
 * view of the chat and nobody else's, reaches the muter's devices live (`chat:preferences`), ends by itself at `until` or when lifted,
 * silences nothing but push (messages still arrive and count as unread), and
 * refused requests change nothing. (Push itself is in tests/socket/push_test.ts.)
 */
import assert from "node:assert/strict";
import type { ChatPreferencesEvent } from "../../src/protocol/mod.ts";
import { api, directChat, registerAll, sleep, SocketPool, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST mute: a member silences a chat's push, and only that", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob, carol] = await registerAll(url, "alice", "bob", "carol");
  const chatId = await directChat(url, alice, bob);
  const pool = new SocketPool(url);
  const mute = (body: unknown, token = bob.token, id = chatId) =>
    api(url, "PUT", `/api/chats/${id}/mute`, { token, body });
  const unmute = () => api(url, "DELETE", `/api/chats/${chatId}/mute`, { token: bob.token });
  const view = async (token: string) =>
    (await api(url, "GET", `/api/chats/${chatId}`, { token })).body.chat;

  const mutedEvents = (socket: { events: [string, unknown][] }) =>
    socket.events.filter(([name]) => name === "chat:preferences")
      .map(([, payload]) => payload as ChatPreferencesEvent);

  try {
    const [phone, partner] = await Promise.all([pool.open(bob.token), pool.open(alice.token)]);
    await t.step("until unmuted: only the muter's view says so", async () => {
      const res = await mute({});
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.chat.muted, {});
      assert.deepEqual((await view(bob.token)).muted, {});
      const listed = await api(url, "GET", "/api/chats", { token: bob.token });
      assert.deepEqual(listed.body.chats[0].muted, {});
      assert.equal((await view(alice.token)).muted, undefined, "the partner is not told");
      await until("the muter's other device heard", () => mutedEvents(phone).length === 1);
      assert.deepEqual(mutedEvents(phone), [{ chatId, muted: {} }]);
      await unmute();
      await until("and heard the unmute", () => mutedEvents(phone).length === 2);
      assert.deepEqual(mutedEvents(phone)[1], { chatId });
      await mute({});
      await sleep(100);
      assert.deepEqual(mutedEvents(partner), [], "nor does the partner hear of it");
    });

    await t.step("messages still arrive and count as unread", async () => {
      const socket = await pool.open(bob.token);
      const sent = await api(url, "POST", `/api/chats/${chatId}/messages`, {
        token: alice.token,
        body: { content: "psst" },
      });
      await until(
        "the message arrived",
        () => socket.received.some((m) => m.id === sent.body.message.id),
      );
      assert.equal((await view(bob.token)).unreadCount, 1);
    });

    await t.step("until a time: it ends by itself", async () => {
      const end = new Date(Date.now() + 400);
      const res = await mute({ until: end.toISOString().replace("Z", "+00:00") });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.chat.muted, { until: end.toISOString() }, "in UTC");
      await sleep(500);
      assert.equal((await view(bob.token)).muted, undefined);
    });

    await t.step("unmuting lifts it, twice is fine", async () => {
      await mute({});
      const res = await unmute();
      assert.equal(res.status, 200);
      assert.equal(res.body.chat.muted, undefined);
      assert.equal((await unmute()).status, 200);
    });

    await t.step("refused requests change nothing", async () => {
      await mute({});
      await until("the mute was told", () => mutedEvents(phone).at(-1)?.muted !== undefined);
      const told = mutedEvents(phone).length;
      const past = new Date(Date.now() - 1000).toISOString();
      const refusals: [unknown, string, string, number, string][] = [
        [{ until: past }, bob.token, chatId, 400, "invalid_payload"],
        [{ until: "tomorrow" }, bob.token, chatId, 400, "invalid_payload"],
        [{}, carol.token, chatId, 403, "forbidden"],
        [{}, bob.token, "no-such-chat", 404, "not_found"],
        [{}, "", chatId, 401, "unauthorized"],
      ];
      for (const [body, token, id, status, code] of refusals) {
        const res = await mute(body, token, id);
        assert.equal(res.status, status, JSON.stringify(body));
        assert.equal(res.body.error.code, code);
      }
      assert.deepEqual((await view(bob.token)).muted, {}, "the mute stays as it was");
      await sleep(100);
      assert.equal(mutedEvents(phone).length, told, "and no device is told of a change");
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
