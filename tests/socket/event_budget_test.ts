/**
 * A connection's budget of client events, through a real socket: events over it
 * are refused with `rate_limited` and `retryAfterMs` and change nothing, sends
 * are left to the message limit, an event without an ack is told once per
 * stretch, and the budget refills as its window passes.
 */
import assert from "node:assert/strict";
import { api, connect, directChat, emitAck, register, scrape, sleep } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("socket events over a connection's budget are refused and change nothing", async (t) => {
  // Five events per minute: nothing refills during the test.
  const server = await startTestServer({
    SOCKET_EVENT_LIMIT: "5",
    SOCKET_EVENT_WINDOW_MS: "60000",
  });
  const { url } = server;
  const [alice, bob] = [await register(url), await register(url)];
  const chatId = await directChat(url, alice, bob);
  const a = await connect(url, alice.token);
  const sent = await emitAck(a, "message:send", { chatId, content: "hi", clientMsgId: "e1" });
  const messageId = sent.message.id;
  const react = (emoji: string) => emitAck(a, "message:reaction", { messageId, emoji });
  const refusals = await scrape(url).then((m) => m("chat_rate_limited_total"));
  try {
    await t.step("the sixth event is refused with rate_limited and retryAfterMs", async () => {
      for (const emoji of ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣"]) {
        assert.equal((await react(emoji)).ok, true);
      }
      const refused = await react("6️⃣");
      assert.equal(refused.ok, false);
      assert.equal(refused.error.code, "rate_limited");
      // One event comes back every 12 s at five a minute.
      assert.ok(refused.error.retryAfterMs > 0 && refused.error.retryAfterMs <= 12_000);
      const [message] = (await api(url, "GET", `/api/chats/${chatId}/messages`, {
        token: bob.token,
      })).body.messages;
      assert.deepEqual(Object.keys(message.reactions).sort(), ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣"]);
    });

    await t.step("sends are left to the message limit", async () => {
      const again = await emitAck(a, "message:send", {
        chatId,
        content: "still",
        clientMsgId: "e2",
      });
      assert.equal(again.ok, true);
    });

    await t.step("events without an ack are told once, not once each", async () => {
      a.events.length = 0;
      a.socket.emit("chat:typing", { chatId });
      a.socket.emit("chat:typing", { chatId });
      // Answers come in order: by this ack, both errors would have arrived.
      assert.equal((await emitAck(a, "chat:stopTyping", { chatId })).error.code, "rate_limited");
      const errors = a.events.filter(([event]) => event === "error");
      assert.deepEqual(errors.map(([, p]) => (p as { error: { code: string } }).error.code), [
        "rate_limited",
      ]);
    });

    await t.step(
      "the budget is the connection's: another device of the user is not held",
      async () => {
        const phone = await connect(url, alice.token);
        assert.equal(
          (await emitAck(phone, "message:reaction", { messageId, emoji: "6️⃣" })).ok,
          true,
        );
        phone.close();
        const after = await scrape(url).then((m) => m("chat_rate_limited_total"));
        assert.equal(after - refusals, 4, "each refusal is counted, told or not");
      },
    );
  } finally {
    a.close();
    await server.close();
  }
});

Deno.test("a connection's event budget refills as its window passes", async () => {
  const server = await startTestServer({ SOCKET_EVENT_LIMIT: "2", SOCKET_EVENT_WINDOW_MS: "1000" });
  const alice = await register(server.url);
  const a = await connect(server.url, alice.token);
  const join = () => emitAck(a, "chat:join", { chatId: "no-such-chat" });
  try {
    // Refused or not by the budget first: an unknown chat is a 404 that costs a budget event.
    assert.equal((await join()).error.code, "not_found");
    assert.equal((await join()).error.code, "not_found");
    const refused = await join();
    assert.equal(refused.error.code, "rate_limited");
    await sleep(refused.error.retryAfterMs);
    assert.equal((await join()).error.code, "not_found", "one event back after retryAfterMs");
  } finally {
    a.close();
    await server.close();
  }
});
