/**
 * Friends, chats, the chat list, history and reads through real HTTP. Groups
 * held to the adder's contacts are in `group_permissions_test.ts`.
 */
import assert from "node:assert/strict";
import { api, connect, directChat, emitAck, registerAll, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST friends and chats", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob, carol, mallory] = await registerAll(url, "alice", "bob", "carol", "mallory");

  await t.step("friendship is mutual and can be ended", async () => {
    assert.equal(
      (await api(url, "POST", `/api/friends/${bob.user.id}`, { token: alice.token })).status,
      204,
    );
    const bobs = await api(url, "GET", "/api/friends", { token: bob.token });
    assert.deepEqual(bobs.body.friends.map((f: { id: string }) => f.id), [alice.user.id]);
    assert.equal(bobs.body.friends[0].isOnline, false, "friends see presence");
    await api(url, "POST", `/api/friends/${carol.user.id}`, { token: alice.token });
    assert.equal(
      (await api(url, "DELETE", `/api/friends/${alice.user.id}`, { token: carol.token })).status,
      204,
    );
    assert.equal(
      (await api(url, "DELETE", `/api/friends/${carol.user.id}`, { token: carol.token })).status,
      400,
    );
    assert.equal(
      (await api(url, "GET", "/api/friends", { token: alice.token })).body.friends.length,
      1,
    );
    const befriend = (id: string) => api(url, "POST", `/api/friends/${id}`, { token: alice.token });
    assert.equal((await befriend(alice.user.id)).status, 400, "not oneself");
    assert.equal((await befriend("nobody")).status, 404);
  });

  let chatId = "";
  await t.step(
    "a user is found by exact username, not by email, and only when signed in",
    async () => {
      const path = (name: string) => `/api/users/by-username/${encodeURIComponent(name)}`;
      const search = (name: string) => api(url, "GET", path(name), { token: alice.token });
      const found = await search(bob.user.username.toUpperCase());
      assert.equal(found.status, 200);
      assert.equal(found.body.user.id, bob.user.id);
      assert.equal(found.body.user.email, undefined, "no email of others");
      const byEmail = await search(bob.user.email!);
      assert.equal(byEmail.status, 404);
      assert.equal(byEmail.body.error.code, "not_found");
      assert.equal((await search("nobody-here")).status, 404);
      assert.equal((await api(url, "GET", path(bob.user.username))).status, 401);
    },
  );

  await t.step("a direct chat is unique per pair: 201, then 200 with the same chat", async () => {
    const first = await api(url, "POST", "/api/chats", {
      token: alice.token,
      body: { type: "direct", participantIds: [bob.user.id] },
    });
    assert.equal(first.status, 201);
    const again = await api(url, "POST", "/api/chats", {
      token: bob.token,
      body: { type: "direct", participantIds: [alice.user.id] },
    });
    assert.equal(again.status, 200);
    assert.equal(again.body.chat.id, first.body.chat.id);
    chatId = first.body.chat.id;
  });

  await t.step("a direct chat with a stranger is forbidden", async () => {
    const res = await api(url, "POST", "/api/chats", {
      token: mallory.token,
      body: { type: "direct", participantIds: [alice.user.id] },
    });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "forbidden");
    assert.equal(res.body.error.details.reason, "not_contact");
  });

  await t.step("outsiders get 403 on history and send", async () => {
    const read = await api(url, "GET", `/api/chats/${chatId}/messages`, { token: mallory.token });
    assert.equal(read.status, 403);
    const write = await api(url, "POST", `/api/chats/${chatId}/messages`, {
      token: mallory.token,
      body: { content: "hi" },
    });
    assert.equal(write.status, 403);
    assert.equal(write.body.error.code, "forbidden");
    const missing = await api(url, "GET", "/api/chats/nope/messages", { token: alice.token });
    assert.equal(missing.status, 404);
  });

  await t.step("history pages newest first with beforeSeq", async () => {
    for (let i = 1; i <= 7; i++) {
      const res = await api(url, "POST", `/api/chats/${chatId}/messages`, {
        token: alice.token,
        body: { content: `h${i}` },
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.message.seq, i);
    }
    const read = (query: string) =>
      api(url, "GET", `/api/chats/${chatId}/messages?${query}`, { token: bob.token });
    const page1 = await read("limit=3");
    assert.deepEqual(page1.body.messages.map((m: { seq: number }) => m.seq), [7, 6, 5]);
    assert.equal(page1.body.nextBeforeSeq, 5);
    const page3 = await read("limit=3&beforeSeq=2");
    assert.deepEqual(page3.body.messages.map((m: { seq: number }) => m.seq), [1]);
    assert.equal(page3.body.nextBeforeSeq, null);
  });

  await t.step("afterSeq pages oldest first, for a device catching up", async () => {
    const page = async (query: string) => {
      const res = await api(url, "GET", `/api/chats/${chatId}/messages?${query}`, {
        token: bob.token,
      });
      assert.equal(res.status, 200, query);
      return [res.body.messages.map((m: { seq: number }) => m.seq), res.body.nextAfterSeq];
    };
    assert.deepEqual(await page("afterSeq=0&limit=3"), [[1, 2, 3], 3]);
    assert.deepEqual(await page("afterSeq=3&limit=3"), [[4, 5, 6], 6]);
    assert.deepEqual(await page("afterSeq=4&limit=3"), [[5, 6, 7], null], "a full last page");
    assert.deepEqual(await page("afterSeq=7"), [[], null], "caught up");
    assert.deepEqual(await page("afterSeq=1&beforeSeq=4"), [[2, 3], null], "a gap filled");
  });

  await t.step(
    "the chat list has the last message and unread counts, newest activity first",
    async () => {
      const group = await api(url, "POST", "/api/chats", {
        token: carol.token,
        body: { type: "group", name: "later", participantIds: [bob.user.id] },
      });
      const list = await api(url, "GET", "/api/chats", { token: bob.token });
      assert.deepEqual(list.body.chats.map((c: { id: string }) => c.id), [
        group.body.chat.id,
        chatId,
      ]);
      const direct = list.body.chats[1];
      assert.equal(direct.lastMessage.content, "h7");
      assert.equal(direct.unreadCount, 7);
      assert.equal(
        (await api(url, "GET", "/api/chats", { token: alice.token })).body.chats[0].unreadCount,
        0,
        "own messages are not unread",
      );
      const b = await connect(url, bob.token);
      await emitAck(b, "message:markRead", { chatId, upToSeq: 4 });
      await emitAck(b, "message:send", { chatId, content: "reply", clientMsgId: "r1" });
      b.close();
      const after = await api(url, "GET", "/api/chats", { token: bob.token });
      assert.equal(after.body.chats[0].id, chatId, "the reply moved the chat up");
      assert.equal(after.body.chats[0].unreadCount, 3);
      const paged = await api(url, "GET", "/api/chats?limit=1", { token: bob.token });
      assert.equal(paged.body.chats.length, 1);
      const next = await api(url, "GET", `/api/chats?limit=1&cursor=${paged.body.nextCursor}`, {
        token: bob.token,
      });
      assert.equal(next.body.chats[0].id, group.body.chat.id);
      assert.equal(next.body.nextCursor, null);
    },
  );

  await t.step("a read over REST moves the watermark and ticks the sender", async () => {
    const a = await connect(url, alice.token);
    const read = (token: string, body: unknown, id = chatId) =>
      api(url, "POST", `/api/chats/${id}/read`, { token, body });
    assert.equal((await read(bob.token, { upToSeq: 0 })).status, 400);
    assert.equal((await read(bob.token, { upToSeq: 5, messageIds: [] })).status, 400);
    assert.equal((await read(mallory.token, { upToSeq: 7 })).status, 403);
    assert.equal((await read(bob.token, { upToSeq: 7 }, "nope")).status, 404);
    assert.equal((await read(bob.token, { upToSeq: 7 })).status, 204);
    await until("read ticks for h5..h7", () => a.statuses.length === 3);
    assert.deepEqual(a.statuses.map((s) => s.status), ["read", "read", "read"]);
    const list = await api(url, "GET", "/api/chats", { token: bob.token });
    assert.equal(list.body.chats[0].unreadCount, 0);
    a.close();
  });

  await t.step("chat partners see presence; strangers do not", async () => {
    const partner = await api(url, "GET", `/api/users/${bob.user.id}`, { token: carol.token });
    assert.equal(partner.body.user.isOnline, false);
    const stranger = await api(url, "GET", `/api/users/${bob.user.id}`, { token: mallory.token });
    assert.equal(stranger.body.user.isOnline, undefined);
    assert.equal(
      (await api(url, "GET", "/api/users/nobody", { token: mallory.token })).status,
      404,
    );
    await directChat(url, carol, mallory);
  });

  await server.close();
});
