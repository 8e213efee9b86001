/**
 * One chat by id and a group's name, through real HTTP and sockets: `GET
 * /api/chats/:chatId` answers what the list shows, `PUT /api/chats/:chatId`
 * renames a group for every member at once, and refused input changes nothing.
 */
import assert from "node:assert/strict";
import {
  api,
  connect,
  directChat,
  emitAck,
  registerAll,
  settled,
  until,
} from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST chats: one chat by id; any member renames a group", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob, carol, eve] = await registerAll(url, "alice", "bob", "carol", "eve");
  const created = await api(url, "POST", "/api/chats", {
    token: alice.token,
    body: { type: "group", name: "club", participantIds: [bob.user.id, carol.user.id] },
  });
  const chatId = created.body.chat.id;
  const one = (token: string, id = chatId) => api(url, "GET", `/api/chats/${id}`, { token });
  const rename = (token: string, name: unknown, id = chatId) =>
    api(url, "PUT", `/api/chats/${id}`, { token, body: { name } });
  const listed = async (token: string) =>
    (await api(url, "GET", "/api/chats", { token })).body.chats.find((c: { id: string }) =>
      c.id === chatId
    );
  const aliceSocket = await connect(url, alice.token);
  await settled(aliceSocket);
  let sends = 0;
  const send = (content: string) =>
    emitAck(aliceSocket, "message:send", { chatId, content, clientMsgId: `one-${++sends}` });

  try {
    await t.step("GET answers the chat as the caller's list shows it", async () => {
      assert.equal((await send("hello")).ok, true);
      const got = await one(bob.token);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body.chat, await listed(bob.token));
      assert.equal(got.body.chat.unreadCount, 1);
      assert.equal(got.body.chat.lastMessage.content, "hello");
      assert.equal(got.body.chat.ownerId, alice.user.id);
      assert.equal((await one(alice.token)).body.chat.unreadCount, 0, "per caller");
    });

    await t.step("GET refuses a stranger and an unknown chat", async () => {
      const stranger = await one(eve.token);
      assert.equal(stranger.status, 403);
      assert.equal(stranger.body.error.code, "forbidden");
      const unknown = await one(alice.token, crypto.randomUUID());
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, "not_found");
    });

    await t.step("a member who is not the owner renames it; every member is told", async () => {
      const renamed = await rename(carol.token, "  Book club ");
      assert.equal(renamed.status, 200);
      assert.equal(renamed.body.chat.name, "Book club", "trimmed");
      assert.equal(renamed.body.chat.lastMessage.content, "hello", "same view as GET");
      await until(
        "alice's chat:updated",
        () =>
          aliceSocket.events.some(([name, payload]) =>
            name === "chat:updated" && (payload as { name?: string }).name === "Book club"
          ),
      );
      const event = aliceSocket.events.find(([name]) => name === "chat:updated")![1];
      assert.deepEqual(event, {
        chatId,
        participantIds: [alice.user.id, bob.user.id, carol.user.id],
        name: "Book club",
        ownerId: alice.user.id,
        adminIds: [],
        permissions: { add: "members", edit: "members" },
        version: 1,
      });
      assert.equal(renamed.body.chat.version, 1, "the answer and the event alike");
      assert.equal((await listed(bob.token)).name, "Book club");
    });

    await t.step("sends after a rename keep the name and the seq", async () => {
      for (const n of [2, 3]) assert.equal((await send(`m${n}`)).message.seq, n);
      assert.equal((await rename(bob.token, "Readers")).body.chat.name, "Readers");
      assert.equal((await send("m4")).message.seq, 4);
      const chat = (await one(carol.token)).body.chat;
      assert.equal(chat.name, "Readers", "a send did not write back an older chat record");
      assert.equal(chat.lastMessage.seq, 4);
    });

    await t.step("refused renames change nothing", async () => {
      for (const name of ["", "   ", "x".repeat(101), 42, null]) {
        const refused = await rename(alice.token, name);
        assert.equal(refused.status, 400, `name ${JSON.stringify(name)}`);
        assert.equal(refused.body.error.code, "invalid_payload");
      }
      const stranger = await rename(eve.token, "Mine now");
      assert.equal(stranger.status, 403);
      assert.equal(stranger.body.error.code, "forbidden");
      assert.equal((await rename(alice.token, "Lost", crypto.randomUUID())).status, 404);
      const direct = await directChat(url, alice, eve);
      const refused = await rename(alice.token, "Us", direct);
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.code, "invalid_payload");
      assert.equal((await one(alice.token, direct)).body.chat.name, undefined);
      assert.equal((await one(alice.token)).body.chat.name, "Readers");
      const updates = aliceSocket.events.filter(([name]) => name === "chat:updated");
      assert.equal(updates.length, 2, "no event for a refused rename");
    });
  } finally {
    aliceSocket.close();
    await server.close();
  }
});
