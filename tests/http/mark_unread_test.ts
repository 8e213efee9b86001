/**
 * Marking a chat unread through real HTTP and sockets: the mark shows in the
 * member's view of the chat (and nobody else's), reaches their devices live,
 * and goes when they read the chat, even with nothing new to read, or when
 * they lift it; a non-member is refused.
 */
import assert from "node:assert/strict";
import type { ChatPreferencesEvent } from "../../src/protocol/mod.ts";
import { api, directChat, registerAll, SocketPool, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST mark unread: a member keeps a chat to come back to", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob, carol] = await registerAll(url, "alice", "bob", "carol");
  const chatId = await directChat(url, alice, bob);
  const mark = (method: "PUT" | "DELETE", token = alice.token) =>
    api(url, method, `/api/chats/${chatId}/unread`, { token });
  const view = async (token = alice.token) =>
    (await api(url, "GET", `/api/chats/${chatId}`, { token })).body.chat;
  const read = (upToSeq: number) =>
    api(url, "POST", `/api/chats/${chatId}/read`, { token: alice.token, body: { upToSeq } });
  const pool = new SocketPool(url);
  const heard = (socket: { events: [string, unknown][] }) =>
    socket.events.filter(([name]) => name === "chat:preferences")
      .map(([, payload]) => (payload as ChatPreferencesEvent).markedUnread);

  try {
    const phone = await pool.open(alice.token);
    await api(url, "POST", `/api/chats/${chatId}/messages`, {
      token: bob.token,
      body: { content: "see you" },
    });

    await t.step("marked: only the member's view says so, their devices hear it", async () => {
      const res = await mark("PUT");
      assert.equal(res.status, 200);
      assert.equal(res.body.chat.markedUnread, true);
      assert.equal((await view()).markedUnread, true);
      const listed = (await api(url, "GET", "/api/chats", { token: alice.token })).body.chats[0];
      assert.equal(listed.markedUnread, true);
      assert.equal((await view(bob.token)).markedUnread, undefined);
      await until("the phone heard it", () => heard(phone).length === 1);
      assert.deepEqual(heard(phone), [true]);
    });

    await t.step("reading clears it, even with nothing new to read", async () => {
      assert.equal((await read(1)).status, 204);
      assert.equal((await view()).markedUnread, undefined);
      await mark("PUT");
      await read(1);
      assert.equal((await view()).markedUnread, undefined, "read again: cleared");
    });

    await t.step("lifted by the member, idempotent; refused to others", async () => {
      await mark("PUT");
      assert.equal((await mark("DELETE")).body.chat.markedUnread, undefined);
      assert.equal((await mark("DELETE")).status, 200);
      await until("the phone heard it go", () => heard(phone).at(-1) === undefined);
      const outsider = await mark("PUT", carol.token);
      assert.equal(outsider.status, 403);
      assert.equal((await view()).markedUnread, undefined);
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
