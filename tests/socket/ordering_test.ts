/**
 * Ordering over the real socket when things happen at once: concurrent senders
 * in one chat, and a send racing the recipient's connect.
 */
import assert from "node:assert/strict";
import { api, connect, directChat, emitAck, register, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("ordering over the socket", async (t) => {
  const server = await startTestServer();
  const { url } = server;

  await t.step("concurrent senders get seq 1..n with no gaps or repeats", async () => {
    const [alice, bob] = [await register(url), await register(url)];
    const chatId = await directChat(url, alice, bob);
    const a = await connect(url, alice.token);
    const b = await connect(url, bob.token);
    const sends = [];
    for (let i = 0; i < 40; i++) {
      const from = i % 2 === 0 ? a : b;
      sends.push(
        emitAck(from, "message:send", { chatId, content: `c${i}`, clientMsgId: `cc-${i}` }),
      );
    }
    const acks = await Promise.all(sends);
    const seqs = acks.map((x) => x.message.seq).sort((x, y) => x - y);
    assert.deepEqual(seqs, Array.from({ length: 40 }, (_, i) => i + 1));
    await until(
      "each side got the other's 20",
      () => a.received.length === 20 && b.received.length === 20,
    );
    for (const side of [a, b]) {
      assert.equal(
        new Set(side.received.map((m) => m.id)).size,
        20,
        "no repeats on a healthy connection",
      );
      const inOrder = side.received.map((m) => m.seq);
      assert.deepEqual(inOrder, [...inOrder].sort((x, y) => x - y), "per-chat seq order");
    }
    a.close();
    b.close();
  });

  await t.step("a message sent while the recipient connects is not stranded", async () => {
    const [alice, bob] = [await register(url), await register(url)];
    const chatId = await directChat(url, alice, bob);
    const a = await connect(url, alice.token);
    for (let round = 0; round < 5; round++) {
      const connecting = connect(url, bob.token);
      const sent = emitAck(a, "message:send", {
        chatId,
        content: `race ${round}`,
        clientMsgId: `race-${round}`,
      });
      const [b, ack] = await Promise.all([connecting, sent]);
      await until(`round ${round} arrives`, () => b.received.some((m) => m.id === ack.message.id));
      b.close();
      await until(
        "bob offline",
        async () =>
          (await api(url, "GET", `/api/users/${bob.user.id}`, { token: alice.token })).body.user
            .isOnline === false,
      );
    }
    a.close();
  });

  await server.close();
});
