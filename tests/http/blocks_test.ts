/**
 * Blocking, through real HTTP and sockets: `POST /api/blocks/:userId` stops
 * both sides of the pair from writing to their direct chat, hides presence,
 * ends the friendship and refuses new chats and group adds between them;
 * `DELETE` lifts it, and refused input changes nothing.
 */
import assert from "node:assert/strict";
import {
  api,
  directChat,
  emitAck,
  history,
  registerAll,
  SocketPool,
  type TestSocket,
  until,
} from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

const BLOCKED = { code: "forbidden", reason: "blocked" };
const refusal = (error: { code: string; details?: { reason?: string } }) => ({
  code: error.code,
  reason: error.details?.reason,
});

Deno.test("REST blocks: a block stops the pair reaching each other until lifted", async (t) => {
  const server = await startTestServer({ RATE_LIMIT_MESSAGES: "1000" });
  const { url } = server;
  const [alice, bob, carol] = await registerAll(url, "alice", "bob", "carol");
  const chatId = await directChat(url, alice, bob);
  await api(url, "POST", `/api/friends/${carol.user.id}`, { token: alice.token });
  const group = await api(url, "POST", "/api/chats", {
    token: carol.token,
    body: { type: "group", name: "club", participantIds: [alice.user.id] },
  });
  const groupId = group.body.chat.id;
  const pool = new SocketPool(url);
  const open = (token: string) => pool.open(token);
  const bobSocket = await open(bob.token);
  let sends = 0;
  const send = (socket: TestSocket, chat = chatId) =>
    emitAck(socket, "message:send", { chatId: chat, content: "hi", clientMsgId: `b-${++sends}` });
  const block = (method: "POST" | "DELETE", token: string, id: string) =>
    api(url, method, `/api/blocks/${id}`, { token });
  const blocks = async (token: string) =>
    (await api(url, "GET", "/api/blocks", { token })).body.users.map((u: { id: string }) => u.id);
  const chatOf = async (token: string) =>
    (await api(url, "GET", `/api/chats/${chatId}`, { token })).body.chat;
  const updates = (socket: TestSocket) =>
    socket.events.filter(([name]) => name === "chat:updated").map(([, payload]) => payload);

  try {
    const first = await send(bobSocket);
    assert.equal(first.ok, true);

    await t.step("a block answers 204, is listed, and both sides hear of it", async () => {
      assert.equal((await block("POST", alice.token, bob.user.id)).status, 204);
      assert.deepEqual(await blocks(alice.token), [bob.user.id]);
      assert.deepEqual(await blocks(bob.token), [], "only the blocker lists it");
      await until("bob's chat:updated", () => updates(bobSocket).length === 1);
      assert.deepEqual(updates(bobSocket), [{
        chatId,
        participantIds: [alice.user.id, bob.user.id],
        blocked: true,
        version: 1,
      }]);
      assert.equal((await chatOf(alice.token)).blocked, true);
      assert.equal((await chatOf(bob.token)).blocked, true);
      const friends = await api(url, "GET", "/api/friends", { token: alice.token });
      assert.deepEqual(friends.body.friends.map((f: { id: string }) => f.id), [carol.user.id]);
    });

    await t.step(
      "neither side can send, type, edit, react or set a timer; deleting stays",
      async () => {
        const bobSend = await send(bobSocket);
        assert.deepEqual(refusal(bobSend.error), BLOCKED);
        const aliceSend = await api(url, "POST", `/api/chats/${chatId}/messages`, {
          token: alice.token,
          body: { content: "hi" },
        });
        assert.equal(aliceSend.status, 403);
        assert.deepEqual(refusal(aliceSend.body.error), BLOCKED);
        const typing = await emitAck(bobSocket, "chat:typing", { chatId });
        assert.deepEqual(refusal(typing.error), BLOCKED);
        const messageId = first.message.id;
        const edit = await emitAck(bobSocket, "message:edit", { messageId, content: "x" });
        assert.deepEqual(refusal(edit.error), BLOCKED);
        const react = await emitAck(bobSocket, "message:reaction", { messageId, emoji: "👍" });
        assert.deepEqual(refusal(react.error), BLOCKED);
        // A chat nobody may write to keeps its timer too.
        const timer = await api(url, "PUT", `/api/chats/${chatId}/timer`, {
          token: alice.token,
          body: { seconds: 60 },
        });
        assert.equal(timer.status, 403);
        assert.deepEqual(refusal(timer.body.error), BLOCKED);
        assert.equal((await chatOf(alice.token)).messageTimer, undefined);
        assert.deepEqual((await history(url, alice.token, chatId)).map((m) => m.content), ["hi"]);
        assert.equal((await emitAck(bobSocket, "message:delete", { messageId })).ok, true);
      },
    );

    await t.step("neither sees the other's presence; a friend still does", async () => {
      const carolSocket = await open(carol.token);
      await open(alice.token);
      const online = (socket: TestSocket) =>
        socket.events.some(([name, p]) =>
          name === "user:online" && (p as { userId: string }).userId === alice.user.id
        );
      await until("carol's user:online", () => online(carolSocket));
      assert.equal(online(bobSocket), false, "the same emit that reached carol left bob out");
      const seen = await api(url, "GET", `/api/users/${alice.user.id}`, { token: bob.token });
      assert.equal(seen.body.user.isOnline, undefined);
      const seenBy = await api(url, "GET", `/api/users/${bob.user.id}`, { token: alice.token });
      assert.equal(seenBy.body.user.isOnline, undefined);
    });

    await t.step("no friendship, new chat or group add between them", async () => {
      const refused = [
        await api(url, "POST", `/api/friends/${alice.user.id}`, { token: bob.token }),
        await api(url, "POST", "/api/chats", {
          token: bob.token,
          body: { type: "direct", participantIds: [alice.user.id] },
        }),
        await api(url, "POST", "/api/chats", {
          token: bob.token,
          body: { type: "group", name: "g", participantIds: [alice.user.id, carol.user.id] },
        }),
        await api(url, "POST", `/api/chats/${groupId}/participants`, {
          token: alice.token,
          body: { userId: bob.user.id },
        }),
      ];
      for (const answer of refused) {
        assert.equal(answer.status, 403);
        assert.deepEqual(refusal(answer.body.error), BLOCKED);
      }
      const chats = await api(url, "GET", "/api/chats", { token: bob.token });
      assert.deepEqual(chats.body.chats.map((c: { id: string }) => c.id), [chatId]);
      const club = await api(url, "GET", `/api/chats/${groupId}`, { token: carol.token });
      assert.deepEqual(club.body.chat.participantIds, [carol.user.id, alice.user.id]);
      const friends = await api(url, "GET", "/api/friends", { token: bob.token });
      assert.deepEqual(friends.body.friends, []);
    });

    await t.step("refused block requests change nothing", async () => {
      const self = await block("POST", alice.token, alice.user.id);
      assert.equal(self.status, 400);
      assert.equal(self.body.error.code, "invalid_payload");
      const unknown = await block("POST", alice.token, crypto.randomUUID());
      assert.equal(unknown.status, 404);
      assert.equal((await block("DELETE", alice.token, crypto.randomUUID())).status, 404);
      assert.equal((await api(url, "POST", `/api/blocks/${bob.user.id}`)).status, 401);
      assert.equal((await api(url, "GET", "/api/blocks")).status, 401);
      assert.deepEqual(await blocks(alice.token), [bob.user.id]);
      assert.equal(updates(bobSocket).length, 1, "no event for a refusal");
    });

    await t.step("unblocking answers 204, tells both, and sends go on in seq", async () => {
      assert.equal((await block("POST", alice.token, bob.user.id)).status, 204, "idempotent");
      assert.equal((await block("DELETE", alice.token, bob.user.id)).status, 204);
      assert.deepEqual(await blocks(alice.token), []);
      await until("bob's second chat:updated", () => updates(bobSocket).length === 2);
      const [, { blocked, version }] = updates(bobSocket) as {
        blocked: boolean;
        version: number;
      }[];
      assert.deepEqual([blocked, version], [false, 2], "blocking again told no one");
      assert.equal((await chatOf(bob.token)).blocked, undefined);
      const again = await send(bobSocket);
      assert.equal(again.ok, true);
      assert.equal(again.message.seq, 2, "refused sends took no seq");
    });

    await t.step("a block while typing still ends the indicator", async () => {
      const aliceSocket = pool.sockets[2];
      const heard = (name: string) =>
        aliceSocket.events.some(([event, p]) =>
          event === name && (p as { userId: string }).userId === bob.user.id
        );
      await emitAck(bobSocket, "chat:typing", { chatId });
      await until("alice hears bob typing", () => heard("user:typing"));
      await block("POST", alice.token, bob.user.id);
      assert.equal((await emitAck(bobSocket, "chat:stopTyping", { chatId })).ok, true);
      await until("alice hears bob stop", () => heard("user:stoppedTyping"));
    });

    await t.step("a block of each other holds until both lift it", async () => {
      await block("POST", bob.token, alice.user.id);
      await block("DELETE", alice.token, bob.user.id);
      assert.deepEqual(refusal((await send(bobSocket)).error), BLOCKED);
      assert.equal((await chatOf(alice.token)).blocked, true);
      await block("DELETE", bob.token, alice.user.id);
      assert.equal((await send(bobSocket)).ok, true);
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
