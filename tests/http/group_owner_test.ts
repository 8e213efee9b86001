/**
 * Who may remove whom from a group, through real HTTP and sockets: the owner
 * (the creator, then the longest-standing participant) removes others; anyone
 * leaves; a refused removal changes nothing.
 */
import assert from "node:assert/strict";
import { api, connect, emitAck, registerAll } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST groups: only the owner removes others; anyone leaves", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob, carol, dave] = await registerAll(url, "owner", "bob", "carol", "dave");
  const ids = (...users: { user: { id: string } }[]) => users.map((u) => u.user.id);
  const created = await api(url, "POST", "/api/chats", {
    token: alice.token,
    body: { type: "group", name: "club", participantIds: ids(bob, carol) },
  });
  const chatId = created.body.chat.id;
  const remove = (token: string, userId: string) =>
    api(url, "DELETE", `/api/chats/${chatId}/participants/${userId}`, { token });
  const add = (token: string, userId: string) =>
    api(url, "POST", `/api/chats/${chatId}/participants`, { token, body: { userId } });
  const chatAs = async (token: string) =>
    (await api(url, "GET", "/api/chats", { token })).body.chats.find((c: { id: string }) =>
      c.id === chatId
    );

  await t.step("the creator owns the group, and it says so", async () => {
    assert.equal(created.body.chat.ownerId, alice.user.id);
    assert.equal((await chatAs(carol.token)).ownerId, alice.user.id);
    assert.deepEqual(created.body.chat.participantIds, ids(alice, bob, carol));
  });

  await t.step("a member cannot remove another, and nothing changes", async () => {
    assert.equal((await add(bob.token, dave.user.id)).status, 200, "any member may add");
    const refused = await remove(dave.token, bob.user.id);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "forbidden");
    assert.equal((await remove(bob.token, alice.user.id)).status, 403, "not even the owner");
    assert.deepEqual((await chatAs(bob.token)).participantIds, ids(alice, bob, carol, dave));
    const socket = await connect(url, bob.token);
    const sent = await emitAck(socket, "message:send", {
      chatId,
      content: "hi",
      clientMsgId: "o1",
    });
    assert.equal(sent.ok, true, "bob still writes to it");
    socket.close();
  });

  await t.step("the owner removes others; a member leaves", async () => {
    const removed = await remove(alice.token, dave.user.id);
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.body.chat.participantIds, ids(alice, bob, carol));
    const left = await remove(carol.token, carol.user.id);
    assert.equal(left.status, 200);
    assert.equal(await chatAs(carol.token), undefined, "carol is out");
  });

  await t.step("when the owner leaves, the longest-standing participant owns it", async () => {
    assert.equal((await add(bob.token, carol.user.id)).status, 200);
    assert.equal((await remove(alice.token, alice.user.id)).status, 200);
    const chat = await chatAs(bob.token);
    assert.deepEqual(chat.participantIds, ids(bob, carol));
    assert.equal(chat.ownerId, bob.user.id);
    assert.equal((await remove(carol.token, bob.user.id)).status, 403);
    assert.equal((await remove(bob.token, carol.user.id)).status, 200);
    assert.deepEqual((await chatAs(bob.token)).participantIds, ids(bob));
  });

  await server.close();
});
