/**
 * Pinned messages through real HTTP and sockets: any member pins a message for
 * everyone, the latest first, and every member hears of it; the pins read back
 * as messages; a deleted message leaves the pins, even one pinned as it is
 * deleted; a member added later sees no pin from before; refusals change nothing.
 */
import assert from "node:assert/strict";
import { api, directChat, registerAll, SocketPool, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST pins: members pin messages for everyone", async (t) => {
  const server = await startTestServer({ RATE_LIMIT_MESSAGES: "1000" });
  const { url } = server;
  const [alice, bob, carol, dave] = await registerAll(url, "alice", "bob", "carol", "dave");
  const pool = new SocketPool(url);
  const group = await api(url, "POST", "/api/chats", {
    token: alice.token,
    body: { type: "group", name: "club", participantIds: [bob.user.id] },
  });
  const chatId = group.body.chat.id;
  const send = async (content: string, token = alice.token, chat = chatId) =>
    (await api(url, "POST", `/api/chats/${chat}/messages`, { token, body: { content } })).body
      .message.id as string;
  const pin = (id: string, token = bob.token, method = "PUT") =>
    api(url, method, `/api/messages/${id}/pin`, { token });
  const pins = async (token = bob.token) =>
    (await api(url, "GET", `/api/chats/${chatId}/pins`, { token })).body.messages.map((
      m: { content: string },
    ) => m.content);
  const pinnedIds = async (token = alice.token) =>
    (await api(url, "GET", `/api/chats/${chatId}`, { token })).body.chat.pinnedMessageIds;

  try {
    const [rules, agenda] = [await send("house rules"), await send("agenda")];

    await t.step("a member pins; everyone hears of it and sees it, the latest first", async () => {
      const aliceSocket = await pool.open(alice.token);
      const res = await pin(rules);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.chat.pinnedMessageIds, [rules]);
      await pin(agenda);
      assert.equal((await pin(agenda)).status, 200, "pinning again is fine");
      await until(
        "alice heard of both pins",
        () =>
          aliceSocket.events.some(([name, e]) =>
            name === "chat:updated" &&
            JSON.stringify((e as { pinnedMessageIds?: string[] }).pinnedMessageIds) ===
              JSON.stringify([agenda, rules])
          ),
      );
      assert.deepEqual(await pinnedIds(), [agenda, rules]);
      assert.deepEqual(await pins(), ["agenda", "house rules"]);
    });

    await t.step("unpinning, and deleting a pinned message, take it out", async () => {
      const aliceSocket = pool.sockets[0];
      assert.deepEqual((await pin(agenda, alice.token, "DELETE")).body.chat.pinnedMessageIds, [
        rules,
      ]);
      assert.equal((await pin(agenda, alice.token, "DELETE")).status, 200, "again is fine");
      await api(url, "DELETE", `/api/messages/${rules}`, { token: alice.token });
      assert.equal(await pinnedIds(), undefined);
      await until("alice heard the last pin go", () => {
        const last = aliceSocket.events.filter(([name]) => name === "chat:updated").at(-1);
        return last !== undefined && !("pinnedMessageIds" in (last[1] as object));
      });
      assert.deepEqual(await pins(), []);
      assert.equal((await pin(rules)).status, 409, "a deleted message cannot be pinned");
    });

    await t.step("a pin racing the message's deletion never leaves it pinned", async () => {
      // Before the delete read the chat after its write, most rounds kept the pin; before the
      // pin read the message after its write, one round in twenty (with three pins racing).
      for (let round = 0; round < 100; round++) {
        const doomed = await send(`doomed ${round}`);
        const remove = api(url, "DELETE", `/api/messages/${doomed}`, { token: alice.token });
        const pins = await Promise.all([pin(doomed), pin(doomed), pin(doomed)]);
        assert.equal((await remove).status, 204);
        for (const res of pins) assert.ok([200, 409].includes(res.status), `pin: ${res.status}`);
        assert.ok(!((await pinnedIds()) ?? []).includes(doomed), `round ${round}: still pinned`);
      }
    });

    await t.step("a member added later sees no pin from before", async () => {
      const early = await send("before carol");
      await pin(early);
      await api(url, "POST", `/api/chats/${chatId}/participants`, {
        token: alice.token,
        body: { userId: carol.user.id },
      });
      const late = await send("after carol");
      await pin(late);
      assert.deepEqual(await pins(carol.token), ["after carol"]);
      assert.equal((await pin(early, carol.token)).status, 404, "nor can pin it");
    });

    await t.step("at most ten pins, and refusals change nothing", async () => {
      for (let n = 0; n < 8; n++) assert.equal((await pin(await send(`note ${n}`))).status, 200);
      const full = await pin(await send("one too many"));
      assert.equal(full.status, 409);
      assert.equal(full.body.error.code, "conflict");
      const before = await pinnedIds();
      assert.equal(before.length, 10);
      const direct = await directChat(url, alice, dave);
      const theirs = await send("private", alice.token, direct);
      const refusals: [string, string, number][] = [
        [theirs, bob.token, 403],
        ["missing", bob.token, 404],
        [agenda, "", 401],
      ];
      for (const [id, token, status] of refusals) {
        assert.equal((await pin(id, token)).status, status, id);
      }
      assert.deepEqual(await pinnedIds(), before);
      await api(url, "POST", `/api/blocks/${alice.user.id}`, { token: dave.token });
      const blocked = await pin(theirs, alice.token);
      assert.equal(blocked.status, 403, "nobody pins in a blocked chat");
      assert.equal(blocked.body.error.details.reason, "blocked");
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
