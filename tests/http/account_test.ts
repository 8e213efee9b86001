/**
 * `DELETE /api/auth/me` through real HTTP and sockets: the password confirms it;
 * every login of the user ends; they leave every chat, friendship and block;
 * their messages stay under "Deleted account"; a direct chat with them takes no
 * more sends; their username and email are free; refused requests change nothing.
 * A deletion cut off by a crash is in `account_crash_test.ts`.
 */
import assert from "node:assert/strict";
import {
  api,
  directChat,
  emitAck,
  history,
  logIn,
  PASSWORD,
  registerAll,
  SocketPool,
  type TestSocket,
  tokenWorks,
  until,
} from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST auth: deleting an account ends it and keeps the others' history", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob, carol] = await registerAll(url, "alice", "bob", "carol");
  const directId = await directChat(url, alice, bob);
  await api(url, "POST", `/api/friends/${carol.user.id}`, { token: alice.token });
  const group = await api(url, "POST", "/api/chats", {
    token: alice.token,
    body: { type: "group", name: "club", participantIds: [bob.user.id, carol.user.id] },
  });
  const groupId = group.body.chat.id;
  await api(url, "POST", `/api/blocks/${alice.user.id}`, { token: carol.token });
  const phone = (await logIn(url, alice)).body.token;
  const pool = new SocketPool(url);
  const open = (token: string) => pool.open(token);
  const remove = (token: string, body?: unknown) =>
    api(url, "DELETE", "/api/auth/me", { token, body });
  const works = (token: string) => tokenWorks(url, token);
  const events = (socket: TestSocket, name: string) =>
    socket.events.filter(([event]) => event === name).map(([, payload]) => payload);

  try {
    const [laptopSocket, bobSocket] = [await open(alice.token), await open(bob.token)];
    for (const chatId of [directId, groupId]) {
      const sent = await emitAck(laptopSocket, "message:send", {
        chatId,
        content: "from alice",
        clientMsgId: `a-${chatId}`,
      });
      assert.equal(sent.ok, true);
    }

    await t.step("a wrong or missing password is refused and changes nothing", async () => {
      const wrong = await remove(alice.token, { password: "not it" });
      assert.equal(wrong.status, 403);
      assert.equal(wrong.body.error.code, "forbidden");
      const missing = await remove(alice.token, {});
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error.code, "invalid_payload");
      assert.equal((await remove("", { password: PASSWORD })).status, 401);
      assert.ok(await works(alice.token) && await works(phone));
      assert.equal((await logIn(url, alice)).status, 200);
      assert.equal(laptopSocket.disconnectReason, undefined);
    });

    await t.step("deleting answers 204 and ends every login of the user", async () => {
      assert.equal((await remove(alice.token, { password: PASSWORD })).status, 204);
      assert.equal(await works(alice.token), false, "the deleting login too");
      assert.equal(await works(phone), false);
      await until("alice's socket dropped", () => laptopSocket.disconnectReason !== undefined);
      assert.equal((await logIn(url, alice)).status, 401);
      const byEmail = await api(url, "POST", "/api/auth/login", {
        body: { email: alice.user.email, password: PASSWORD },
      });
      assert.equal(byEmail.status, 401);
      assert.equal((await remove(alice.token, { password: PASSWORD })).status, 401);
      assert.ok(await works(bob.token), "other users stay");
    });

    await t.step("the others hear of it: offline, and each chat without her", async () => {
      await until("bob's chat:updated twice", () => events(bobSocket, "chat:updated").length === 2);
      const updates = events(bobSocket, "chat:updated");
      assert.deepEqual(updates.find((u) => (u as { chatId: string }).chatId === directId), {
        chatId: directId,
        participantIds: [bob.user.id],
        blocked: false,
        version: 1,
      });
      assert.deepEqual(updates.find((u) => (u as { chatId: string }).chatId === groupId), {
        chatId: groupId,
        participantIds: [bob.user.id, carol.user.id],
        name: "club",
        ownerId: bob.user.id, // hers until she went
        adminIds: [],
        permissions: { add: "members", edit: "members" },
        version: 1,
      });
      assert.ok(
        events(bobSocket, "user:offline").some((p) =>
          (p as { userId: string }).userId === alice.user.id
        ),
      );
      const club = await api(url, "GET", `/api/chats/${groupId}`, { token: bob.token });
      assert.equal(club.body.chat.ownerId, bob.user.id, "the group passes to the next member");
    });

    await t.step("her messages stay, under a tombstone without login or presence", async () => {
      const seen = await api(url, "GET", `/api/users/${alice.user.id}`, { token: bob.token });
      assert.deepEqual(seen.body.user, {
        id: alice.user.id,
        username: "",
        displayName: "Deleted account",
        createdAt: alice.user.createdAt,
        deleted: true,
      });
      for (const chatId of [directId, groupId]) {
        const messages = await history(url, bob.token, chatId);
        assert.deepEqual(messages.map((m) => [m.senderId, m.content]), [
          [alice.user.id, "from alice"],
        ]);
      }
      const friends = await api(url, "GET", "/api/friends", { token: bob.token });
      assert.deepEqual(friends.body.friends, []);
      const blocks = await api(url, "GET", "/api/blocks", { token: carol.token });
      assert.deepEqual(blocks.body.users, [], "nobody keeps blocking a deleted account");
    });

    await t.step("the direct chat takes no more sends; the group carries on", async () => {
      const send = (chatId: string) =>
        emitAck(bobSocket, "message:send", { chatId, content: "hi", clientMsgId: `b-${chatId}` });
      const refused = await send(directId);
      assert.equal(refused.error.code, "forbidden");
      assert.equal(refused.error.details.reason, "deleted");
      const typing = await emitAck(bobSocket, "chat:typing", { chatId: directId });
      assert.equal(typing.error.details.reason, "deleted");
      const sent = await send(groupId);
      assert.equal(sent.ok, true);
      assert.equal(sent.message.seq, 2);
      const carolSocket = await open(carol.token);
      await until("carol gets bob's message", () => carolSocket.received.length > 0);
      await until(
        "bob's message is delivered without alice",
        () => bobSocket.statuses.some((s) => s.status === "delivered"),
      );
    });

    await t.step("nobody can befriend, block, add or start a chat with her", async () => {
      const refused = [
        await api(url, "POST", `/api/friends/${alice.user.id}`, { token: bob.token }),
        await api(url, "POST", `/api/blocks/${alice.user.id}`, { token: bob.token }),
        await api(url, "POST", "/api/chats", {
          token: bob.token,
          body: { type: "direct", participantIds: [alice.user.id] },
        }),
        await api(url, "POST", `/api/chats/${groupId}/participants`, {
          token: bob.token,
          body: { userId: alice.user.id },
        }),
        await api(url, "GET", `/api/users/by-username/${alice.user.username}`, {
          token: bob.token,
        }),
      ];
      assert.deepEqual(refused.map((answer) => answer.status), [404, 404, 404, 404, 404]);
    });

    await t.step("her username and email are free for a new account", async () => {
      const again = await api(url, "POST", "/api/auth/register", {
        body: { username: alice.user.username, email: alice.user.email, password: PASSWORD },
      });
      assert.equal(again.status, 201);
      assert.notEqual(again.body.user.id, alice.user.id);
      const chats = await api(url, "GET", "/api/chats", { token: again.body.token });
      assert.deepEqual(chats.body.chats, [], "nothing of the old account comes with it");
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
