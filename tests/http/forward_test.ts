/**
 * Forwarding through real HTTP and sockets: a member forwards a message they
 * can read to another chat, with its content as it is now, and everyone there
 * sees it marked `forwarded`; a message they cannot read (another chat's, one
 * deleted) is 404, other words than the original's are 400, and nothing is
 * stored; a retry of a forward is answered with the message stored, even after
 * the original went.
 */
import assert from "node:assert/strict";
import {
  api,
  directChat,
  emitAck,
  history,
  registerAll,
  SocketPool,
  until,
} from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST forward: a member sends on a message they can read", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob, carol] = await registerAll(url, "alice", "bob", "carol");
  const direct = await directChat(url, alice, bob);
  const created = await api(url, "POST", "/api/chats", {
    token: alice.token,
    body: { type: "group", name: "club", participantIds: [carol.user.id] },
  });
  const group = created.body.chat.id;
  const post = (token: string, chatId: string, body: Record<string, unknown>) =>
    api(url, "POST", `/api/chats/${chatId}/messages`, { token, body });
  const pool = new SocketPool(url);

  try {
    const carolSocket = await pool.open(carol.token);
    const original = (await post(bob.token, direct, { content: "meet at noon" })).body.message;

    await t.step("forwarded to another chat, marked so for everyone there", async () => {
      const res = await post(alice.token, group, {
        content: "meet at noon",
        forwardOf: original.id,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.message.forwarded, true);
      assert.equal(res.body.message.senderId, alice.user.id);
      await until("carol got it", () => carolSocket.received.length === 1);
      assert.equal(carolSocket.received[0].forwarded, true);
      const [seen] = await history(url, carol.token, group);
      assert.deepEqual([seen.content, seen.forwarded], ["meet at noon", true]);
      const plain = (await post(alice.token, group, { content: "plain" })).body.message;
      assert.equal(plain.forwarded, undefined, "a message of one's own is not");
    });

    await t.step("refused, and nothing stored", async () => {
      const before = (await history(url, alice.token, group)).length;
      const otherWords = await post(alice.token, group, {
        content: "meet at one",
        forwardOf: original.id,
      });
      assert.equal(otherWords.status, 400);
      assert.equal(otherWords.body.error.code, "invalid_payload");
      assert.equal(otherWords.body.error.details[0].path, "content");
      const notHers = await post(carol.token, group, {
        content: "meet at noon",
        forwardOf: original.id,
      });
      assert.equal(notHers.status, 404, "carol is not in the chat it came from");
      const nothing = await post(alice.token, group, { content: "x", forwardOf: "no-such-id" });
      assert.equal(nothing.status, 404);
      assert.equal((await history(url, alice.token, group)).length, before);
    });

    await t.step("over the socket, as it is now; a retry is answered after it went", async () => {
      const socket = await pool.open(alice.token);
      await api(url, "PUT", `/api/messages/${original.id}`, {
        token: bob.token,
        body: { content: "meet at one" },
      });
      const send = (content: string, clientMsgId: string) =>
        emitAck(socket, "message:send", {
          chatId: group,
          content,
          clientMsgId,
          forwardOf: original.id,
        });
      const stale = await send("meet at noon", "f1");
      assert.equal(stale.error.code, "invalid_payload", "the words it had before an edit");
      const sent = await send("meet at one", "f2");
      assert.equal(sent.ok, true, JSON.stringify(sent));
      assert.equal(sent.message.forwarded, true);
      await api(url, "DELETE", `/api/messages/${original.id}`, { token: bob.token });
      assert.equal((await send("meet at one", "f3")).error.code, "not_found", "deleted: gone");
      const retry = await send("meet at one", "f2");
      assert.deepEqual(retry.message.id, sent.message.id, "the retry gets what was stored");
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
