/**
 * `/api/messages/:id/receipts` through real HTTP, with receipts made by real
 * sockets: a device's ack, a read watermark, a member who is offline and one who
 * left. (Edit and delete run in the socket feature suite, which checks both paths.)
 */
import assert from "node:assert/strict";
import { api, connect, emitAck, registerAll, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { ClientEvents } from "../../src/protocol/mod.ts";

Deno.test("REST message receipts", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob, carol, dave, mallory] = await registerAll(
    url,
    "alice",
    "bob",
    "carol",
    "dave",
    "mallory",
  );
  const group = await api(url, "POST", "/api/chats", {
    token: alice.token,
    body: { type: "group", name: "four", participantIds: [bob, carol, dave].map((u) => u.user.id) },
  });
  const chatId = group.body.chat.id;
  const sent = await api(url, "POST", `/api/chats/${chatId}/messages`, {
    token: alice.token,
    body: { content: "hello" },
  });
  const messageId = sent.body.message.id;
  const receipts = async (token: string, id = messageId) =>
    await api(url, "GET", `/api/messages/${id}/receipts`, { token });
  const byUser = async () =>
    Object.fromEntries(
      (await receipts(alice.token)).body.receipts.map((r: { userId: string; status: string }) => [
        r.userId,
        r.status,
      ]),
    );

  await t.step("every recipient starts at sent", async () => {
    const res = await receipts(alice.token);
    assert.equal(res.status, 200);
    assert.deepEqual(await byUser(), {
      [bob.user.id]: "sent",
      [carol.user.id]: "sent",
      [dave.user.id]: "sent",
    });
  });

  await t.step(
    "a device's ack makes delivered; a read makes read; offline stays sent",
    async () => {
      const bobs = await connect(url, bob.token);
      const carols = await connect(url, carol.token);
      try {
        await until(
          "bob and carol receive the backlog",
          () => bobs.received.length === 1 && carols.received.length === 1,
        );
        assert.deepEqual(
          await emitAck(carols, ClientEvents.messageMarkRead, { chatId, upToSeq: 1 }),
          { ok: true },
        );
        await until(
          "bob's ack is stored",
          async () => (await byUser())[bob.user.id] === "delivered",
        );
        assert.deepEqual(await byUser(), {
          [bob.user.id]: "delivered",
          [carol.user.id]: "read",
          [dave.user.id]: "sent",
        });
      } finally {
        bobs.close();
        carols.close();
      }
    },
  );

  await t.step("a member who left is left out", async () => {
    const left = await api(url, "DELETE", `/api/chats/${chatId}/participants/${dave.user.id}`, {
      token: dave.token,
    });
    assert.equal(left.status, 200);
    assert.deepEqual(await byUser(), {
      [bob.user.id]: "delivered",
      [carol.user.id]: "read",
    });
  });

  await t.step("only the sender may ask: others get 403, unknown ids 404", async () => {
    const asBob = await receipts(bob.token);
    assert.equal(asBob.status, 403);
    assert.equal(asBob.body.error.code, "forbidden");
    assert.equal((await receipts(mallory.token)).status, 403, "not a participant");
    const unknown = await receipts(alice.token, "no-such-message");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "not_found");
    assert.equal((await receipts("")).status, 401);
  });

  await server.close();
});
