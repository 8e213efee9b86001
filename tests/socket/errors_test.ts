// deno-lint-ignore-file no-explicit-any -- tests read arbitrary JSON answers
/**
 * Bad input over the socket gets a clear error code in the ack (or an error
 * event), changes nothing, and the connection keeps working; a frame over
 * MAX_EVENT_BYTES closes only its own connection.
 */
import assert from "node:assert/strict";
import { api, connect, directChat, emitAck, register, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("bad input over the socket", async (t) => {
  const server = await startTestServer({ MAX_MESSAGE_CHARS: "10" });
  const { url } = server;
  const [alice, bob, mallory] = [await register(url), await register(url), await register(url)];
  const chatId = await directChat(url, alice, bob);
  const a = await connect(url, alice.token);
  const m = await connect(url, mallory.token);

  const cases: [string, () => Promise<any>, string][] = [
    ["no payload", () => emitAck(a, "message:send"), "invalid_payload"],
    ["payload is a string", () => emitAck(a, "message:send", "hello"), "invalid_payload"],
    [
      "content of the wrong type",
      () => emitAck(a, "message:send", { chatId, content: 1, clientMsgId: "x" }),
      "invalid_payload",
    ],
    [
      "no clientMsgId",
      () => emitAck(a, "message:send", { chatId, content: "hi" }),
      "invalid_payload",
    ],
    [
      "empty content",
      () => emitAck(a, "message:send", { chatId, content: " \n ", clientMsgId: "e" }),
      "invalid_payload",
    ],
    [
      "oversized content",
      () => emitAck(a, "message:send", { chatId, content: "y".repeat(11), clientMsgId: "o" }),
      "payload_too_large",
    ],
    [
      "unknown chat",
      () => emitAck(a, "message:send", { chatId: "nope", content: "hi", clientMsgId: "u" }),
      "not_found",
    ],
    [
      "outsider sends",
      () => emitAck(m, "message:send", { chatId, content: "hi", clientMsgId: "m" }),
      "forbidden",
    ],
    [
      "outsider marks read",
      () => emitAck(m, "message:markRead", { chatId, upToSeq: 1 }),
      "forbidden",
    ],
    [
      "markRead with a bad seq",
      () => emitAck(a, "message:markRead", { chatId, upToSeq: 0 }),
      "invalid_payload",
    ],
    [
      "markRead given both ways",
      () => emitAck(a, "message:markRead", { chatId, upToSeq: 1, messageIds: ["x"] }),
      "invalid_payload",
    ],
    [
      "markRead with an unknown message",
      () => emitAck(a, "message:markRead", { chatId, messageIds: ["nope"] }),
      "not_found",
    ],
    ["unknown event", () => emitAck(a, "chat:explode", { chatId }), "invalid_payload"],
  ];
  for (const [name, call, code] of cases) {
    await t.step(`${name}: ${code}`, async () => {
      const ack = await call();
      assert.equal(ack.ok, false);
      assert.equal(ack.error.code, code);
      assert.equal(typeof ack.error.message, "string");
    });
  }

  await t.step("an invalid event without a callback gets an error event", async () => {
    a.socket.emit("message:send", { chatId, content: "" });
    await until("error event", () => a.events.some(([e]) => e === "error"));
    const [, payload] = a.events.find(([e]) => e === "error")!;
    assert.deepEqual((payload as any).ok, false);
    assert.equal((payload as any).error.code, "invalid_payload");
  });

  await t.step("nothing was stored, and the socket still works", async () => {
    const history = await api(url, "GET", `/api/chats/${chatId}/messages`, { token: alice.token });
    assert.equal(history.body.messages.length, 0);
    const ok = await emitAck(a, "message:send", { chatId, content: "fine", clientMsgId: "f" });
    assert.equal(ok.ok, true);
    assert.equal(ok.message.seq, 1);
  });

  a.close();
  m.close();
  await server.close();
});

Deno.test("a socket frame over MAX_EVENT_BYTES closes that connection only", async () => {
  const server = await startTestServer({ MAX_EVENT_BYTES: "2048", MAX_MESSAGE_CHARS: "65536" });
  const { url } = server;
  const [alice, bob] = [await register(url), await register(url)];
  const chatId = await directChat(url, alice, bob);
  const big = await connect(url, alice.token);
  const other = await connect(url, bob.token);
  big.socket.emit("message:send", { chatId, content: "z".repeat(10_000), clientMsgId: "big" });
  await until("oversized frame closes the connection", () => big.disconnectReason !== undefined);
  const history = await api(url, "GET", `/api/chats/${chatId}/messages`, { token: bob.token });
  assert.equal(history.body.messages.length, 0, "nothing stored");
  const ok = await emitAck(other, "message:send", {
    chatId,
    content: "still serving",
    clientMsgId: "s",
  });
  assert.equal(ok.ok, true);
  big.close();
  other.close();
  await server.close();
});
