// deno-lint-ignore-file no-explicit-any -- tests read arbitrary JSON answers
/**
 * Bad input gets a clear error code, changes nothing, and the server keeps serving.
 */
import assert from "node:assert/strict";
import { api, connect, directChat, emitAck, register, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("bad input over REST", async (t) => {
  const server = await startTestServer({ MAX_MESSAGE_CHARS: "10", MAX_BODY_BYTES: "2048" });
  const { url } = server;
  const [alice, bob] = [await register(url), await register(url)];
  const chatId = await directChat(url, alice, bob);
  const post = (body: unknown) =>
    api(url, "POST", `/api/chats/${chatId}/messages`, { token: alice.token, body });

  const cases: [string, () => Promise<{ status: number; body: any }>, number, string][] = [
    ["malformed JSON", () => post("{not json"), 400, "invalid_payload"],
    ["wrong type", () => post({ content: 42 }), 400, "invalid_payload"],
    ["missing field", () => post({}), 400, "invalid_payload"],
    ["empty after trim", () => post({ content: "   " }), 400, "invalid_payload"],
    ["too long", () => post({ content: "x".repeat(11) }), 413, "payload_too_large"],
    ["body over the limit", () => post({ content: "x".repeat(4000) }), 413, "payload_too_large"],
    [
      "register with a bad email",
      () =>
        api(url, "POST", "/api/auth/register", {
          body: { username: "okname", email: "nope", password: "longenough" },
        }),
      400,
      "invalid_payload",
    ],
    [
      "register with a short password",
      () =>
        api(url, "POST", "/api/auth/register", {
          body: { username: "okname", email: "a@b.io", password: "short" },
        }),
      400,
      "invalid_payload",
    ],
    [
      "login without a login",
      () => api(url, "POST", "/api/auth/login", { body: { password: "whatever" } }),
      400,
      "invalid_payload",
    ],
    [
      "direct chat with two others",
      () =>
        api(url, "POST", "/api/chats", {
          token: alice.token,
          body: { type: "direct", participantIds: ["a", "b"] },
        }),
      400,
      "invalid_payload",
    ],
    [
      "chat type unknown",
      () =>
        api(url, "POST", "/api/chats", {
          token: alice.token,
          body: { type: "channel", participantIds: [] },
        }),
      400,
      "invalid_payload",
    ],
    [
      "group with an unknown user",
      () =>
        api(url, "POST", "/api/chats", {
          token: alice.token,
          body: { type: "group", participantIds: ["ghost"] },
        }),
      404,
      "not_found",
    ],
    [
      "history limit out of range",
      () => api(url, "GET", `/api/chats/${chatId}/messages?limit=0`, { token: alice.token }),
      400,
      "invalid_payload",
    ],
    [
      "history beforeSeq not a number",
      () => api(url, "GET", `/api/chats/${chatId}/messages?beforeSeq=abc`, { token: alice.token }),
      400,
      "invalid_payload",
    ],
    [
      "bad cursor",
      () => api(url, "GET", "/api/chats?cursor=%%%", { token: alice.token }),
      400,
      "invalid_payload",
    ],
    [
      "unknown chat",
      () =>
        api(url, "POST", "/api/chats/nope/messages", {
          token: alice.token,
          body: { content: "hi" },
        }),
      404,
      "not_found",
    ],
    [
      "unknown route",
      () => api(url, "GET", "/api/nothing-here", { token: alice.token }),
      404,
      "not_found",
    ],
  ];
  for (const [name, call, status, code] of cases) {
    await t.step(`${name}: ${status} ${code}`, async () => {
      const res = await call();
      assert.equal(res.status, status);
      assert.equal(res.body.error.code, code);
      assert.equal(typeof res.body.error.message, "string");
      assert.ok(!/\.ts:\d+|\n\s+at /.test(JSON.stringify(res.body)), "no stack trace");
    });
  }

  await t.step("nothing was stored, and the server still serves", async () => {
    const history = await api(url, "GET", `/api/chats/${chatId}/messages`, { token: alice.token });
    assert.equal(history.body.messages.length, 0);
    assert.equal((await post({ content: "fine" })).status, 201);
    assert.equal((await api(url, "GET", "/health")).status, 200);
  });

  await t.step("invalid_payload lists the fields at fault", async () => {
    const res = await post({ content: 42 });
    assert.deepEqual(res.body.error.details.map((d: { path: string }) => d.path), ["content"]);
  });

  await server.close();
});

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
  let reason = "";
  big.socket.on("disconnect", (r) => (reason = r));
  big.socket.emit("message:send", { chatId, content: "z".repeat(10_000), clientMsgId: "big" });
  await until("oversized frame closes the connection", () => reason !== "");
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
