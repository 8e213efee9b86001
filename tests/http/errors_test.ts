// deno-lint-ignore-file no-explicit-any -- tests read arbitrary JSON answers
/**
 * Bad input over REST gets a clear error code, changes nothing, and the server
 * keeps serving (the socket's side is in tests/socket/errors_test.ts).
 */
import assert from "node:assert/strict";
import { api, directChat, register } from "../_helpers/client.ts";
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
      "history afterSeq not below beforeSeq",
      () =>
        api(url, "GET", `/api/chats/${chatId}/messages?afterSeq=5&beforeSeq=5`, {
          token: alice.token,
        }),
      400,
      "invalid_payload",
    ],
    [
      "history afterSeq negative",
      () => api(url, "GET", `/api/chats/${chatId}/messages?afterSeq=-1`, { token: alice.token }),
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
    ...([
      ["POST", "/api/blocks/:long"],
      ["PUT", "/api/messages/:long/pin"],
      ["DELETE", "/api/chats/:long/participants/:long"],
      ["GET", "/api/files/:long"],
      ["GET", "/api/users/by-username/:long"],
    ] as const).map(([method, path]): [string, () => Promise<any>, number, string] => [
      `${method} ${path}, longer than any id`,
      () => api(url, method, path.replaceAll(":long", "x".repeat(3000)), { token: alice.token }),
      404,
      "not_found",
    ]),
    [
      "unknown route",
      () => api(url, "GET", "/api/nothing-here", { token: alice.token }),
      404,
      "not_found",
    ],
    // Refused by Node's parser before Hono sees them; still the protocol's error body.
    [
      "a URL past Node's 16 KiB of headers",
      () => api(url, "GET", `/api/chats/${"a".repeat(20_000)}`, { token: alice.token }),
      431,
      "payload_too_large",
    ],
    [
      "a request line that is not HTTP",
      () => raw(server.port, "NOT HTTP\r\n\r\n"),
      400,
      "invalid_payload",
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

// Sends `text` over a plain TCP connection; the answer's status and JSON body.
async function raw(port: number, text: string): Promise<{ status: number; body: any }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode(text));
  const answer = await new Response(conn.readable).text();
  const [head, body] = answer.split("\r\n\r\n");
  return { status: Number(head.split(" ")[1]), body: JSON.parse(body) };
}
