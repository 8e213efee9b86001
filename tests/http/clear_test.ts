/**
 * Clearing a chat's history for oneself through real HTTP and sockets: the
 * member's history, search, changes and the chat's last message start after
 * the seq cleared, on every device (`chat:preferences`), while the other side
 * keeps everything; what was cleared counts as read (ticks to the sender) and
 * is not delivered to a device that comes later; a clear never reaches past
 * the chat's last message nor brings messages back; stars stay; bad requests
 * change nothing.
 */
import assert from "node:assert/strict";
import type { ChatPreferencesEvent } from "../../src/protocol/mod.ts";
import { api, directChat, history, registerAll, SocketPool, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST clear: a member clears a chat's history for themselves", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob, carol] = await registerAll(url, "alice", "bob", "carol");
  const chatId = await directChat(url, alice, bob);
  const pool = new SocketPool(url);
  const send = async (content: string) =>
    (await api(url, "POST", `/api/chats/${chatId}/messages`, {
      token: bob.token,
      body: { content },
    })).body.message;
  const clear = (body: unknown, token = alice.token) =>
    api(url, "POST", `/api/chats/${chatId}/clear`, { token, body });
  const view = async (token = alice.token) =>
    (await api(url, "GET", `/api/chats/${chatId}`, { token })).body.chat;
  const seqs = async (token = alice.token) =>
    (await history(url, token, chatId)).map((m: { seq: number }) => m.seq).sort((a, b) => a - b);
  const cleared = (socket: { events: [string, unknown][] }) =>
    socket.events.filter(([name]) => name === "chat:preferences")
      .map(([, payload]) => (payload as ChatPreferencesEvent).clearedSeq);

  try {
    const [laptop, phone, bobSocket] = await Promise.all([
      pool.open(alice.token),
      pool.open(alice.token),
      pool.open(bob.token),
    ]);
    const first = await send("apples and pears");
    await send("bananas");
    await send("cherries");
    await until("alice's devices have them", () => laptop.received.length === 3);
    const star = await api(url, "PUT", `/api/messages/${first.id}/star`, { token: alice.token });
    assert.equal(star.status, 200);

    await t.step("up to a seq: gone from the member's history, kept by the other", async () => {
      const res = await clear({ upToSeq: 2 });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.chat.clearedSeq, 2);
      assert.equal(res.body.chat.unreadCount, 1, "what was cleared counts as read");
      assert.deepEqual(await seqs(), [3]);
      assert.deepEqual(await seqs(bob.token), [1, 2, 3], "bob keeps everything");
      assert.equal((await view(bob.token)).clearedSeq, undefined);
      assert.equal((await view()).lastMessage.seq, 3);
      const found = await api(url, "GET", `/api/chats/${chatId}/search?q=apples`, {
        token: alice.token,
      });
      assert.deepEqual(found.body.messages, [], "search starts after it too");
      const after = await api(url, "GET", `/api/chats/${chatId}/messages?afterSeq=0`, {
        token: alice.token,
      });
      assert.deepEqual(after.body.messages.map((m: { seq: number }) => m.seq), [3]);
      for (const socket of [laptop, phone]) {
        await until("every device of hers heard", () => cleared(socket).length === 1);
        assert.deepEqual(cleared(socket), [2]);
      }
      assert.deepEqual(cleared(bobSocket), [], "bob hears nothing of it");
      await until(
        "bob's ticks say read",
        () => bobSocket.statuses.filter((s) => s.status === "read").length === 2,
      );
      const starred = await api(url, "GET", "/api/starred", { token: alice.token });
      assert.deepEqual(starred.body.stars.map((s: { message: { id: string } }) => s.message.id), [
        first.id,
      ], "her stars stay");
    });

    await t.step("an edit of a cleared message is not among her changes", async () => {
      const edited = await api(url, "PUT", `/api/messages/${first.id}`, {
        token: bob.token,
        body: { content: "apples only" },
      });
      assert.equal(edited.status, 200);
      const changes = await api(url, "GET", `/api/chats/${chatId}/changes?afterChangeSeq=0`, {
        token: alice.token,
      });
      assert.deepEqual(changes.body.messages, []);
      assert.ok(changes.body.lastChangeSeq > 0, "the cursor moves past it");
    });

    await t.step("never past the last message, never back", async () => {
      const res = await clear({ upToSeq: 99 });
      assert.deepEqual([res.body.chat.clearedSeq, res.body.chat.unreadCount], [3, 0]);
      assert.equal(res.body.chat.lastMessage, undefined);
      assert.deepEqual(await seqs(), []);
      await send("dates");
      assert.deepEqual(await seqs(), [4], "a message after it shows");
      assert.equal((await clear({ upToSeq: 1 })).body.chat.clearedSeq, 3, "a lower clear");
      assert.deepEqual(await seqs(), [4]);
    });

    await t.step("cleared while away: nothing of it reaches a device later", async () => {
      laptop.close();
      phone.close();
      const missed = await send("elderberries");
      assert.equal((await clear({ upToSeq: missed.seq })).status, 200);
      const tablet = await pool.open(alice.token);
      assert.deepEqual(tablet.received, [], "no backlog of what she cleared");
      assert.deepEqual(await seqs(), []);
    });

    await t.step("bad requests change nothing", async () => {
      for (const body of [{}, { upToSeq: 0 }, { upToSeq: "3" }, { upToSeq: 2.5 }]) {
        const res = await clear(body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.error.code, "invalid_payload");
      }
      const outsider = await clear({ upToSeq: 5 }, carol.token);
      assert.equal(outsider.status, 403);
      assert.equal((await view()).clearedSeq, 5);
      assert.deepEqual(await seqs(bob.token), [1, 2, 3, 4, 5]);
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
