/**
 * Archiving a chat through real HTTP and sockets: the chat shows `archived` to
 * the one who archived it and nobody else, the list filters on it, messages
 * still arrive and count as unread, the user's devices hear it with the mute
 * beside it (`chat:preferences`), and refusals change nothing.
 */
import assert from "node:assert/strict";
import type { ChatPreferencesEvent } from "../../src/protocol/mod.ts";
import { api, directChat, registerAll, sleep, SocketPool, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST archive: a member keeps a chat out of the main list", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob, carol] = await registerAll(url, "alice", "bob", "carol");
  const chatId = await directChat(url, alice, bob);
  const other = await directChat(url, carol, bob);
  const archive = (token = bob.token, id = chatId, method: "PUT" | "DELETE" = "PUT") =>
    api(url, method, `/api/chats/${id}/archive`, { token });
  const ids = async (query = "", token = bob.token) =>
    (await api(url, "GET", `/api/chats${query}`, { token })).body.chats.map((c: { id: string }) =>
      c.id
    );
  const pool = new SocketPool(url);

  try {
    const phone = await pool.open(bob.token);
    const told = () =>
      phone.events.filter(([name]) => name === "chat:preferences")
        .map(([, p]) => p as ChatPreferencesEvent);

    await t.step("archived for the archiver only; the list filters on it", async () => {
      const res = await archive();
      assert.equal(res.status, 200);
      assert.equal(res.body.chat.archived, true);
      assert.deepEqual(await ids("?archived=true"), [chatId]);
      assert.deepEqual(await ids("?archived=false"), [other]);
      assert.deepEqual((await ids()).sort(), [chatId, other].sort(), "all without the filter");
      const partner = await api(url, "GET", `/api/chats/${chatId}`, { token: alice.token });
      assert.equal(partner.body.chat.archived, undefined, "the partner is not told");
      await until("bob's device heard", () => told().length === 1);
      assert.deepEqual(told()[0], { chatId, archived: true });
    });

    await t.step("messages still arrive and count as unread; the mute is kept beside", async () => {
      await api(url, "POST", `/api/chats/${chatId}/messages`, {
        token: alice.token,
        body: { content: "still here" },
      });
      await until("delivered", () => phone.received.some((m) => m.content === "still here"));
      const chat = (await api(url, "GET", `/api/chats/${chatId}`, { token: bob.token })).body.chat;
      assert.deepEqual([chat.archived, chat.unreadCount], [true, 1], "and it stays archived");
      await api(url, "PUT", `/api/chats/${chatId}/mute`, { token: bob.token, body: {} });
      await until("the mute was told", () => told().length === 2);
      assert.deepEqual(told()[1], { chatId, muted: {}, archived: true });
    });

    await t.step("unarchived, twice is fine; refusals change nothing", async () => {
      const back = await archive(bob.token, chatId, "DELETE");
      assert.equal(back.status, 200);
      assert.equal(back.body.chat.archived, undefined);
      assert.equal((await archive(bob.token, chatId, "DELETE")).status, 200);
      await until("told", () => told().length === 4);
      assert.deepEqual(told()[3], { chatId, muted: {} });
      const refusals: [string, string, number, string][] = [
        [carol.token, chatId, 403, "forbidden"],
        [bob.token, "no-such-chat", 404, "not_found"],
        ["", chatId, 401, "unauthorized"],
      ];
      for (const [token, id, status, code] of refusals) {
        const res = await archive(token, id);
        assert.equal(res.status, status);
        assert.equal(res.body.error.code, code);
      }
      const bad = await api(url, "GET", "/api/chats?archived=maybe", { token: bob.token });
      assert.equal(bad.status, 400);
      assert.deepEqual(await ids("?archived=true"), [], "nothing archived");
      await sleep(100);
      assert.equal(told().length, 4, "and no device told of a change");
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
