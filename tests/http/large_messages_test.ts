/**
 * A message too large for the embedded store (a Deno KV value holds 64 KiB):
 * where `MAX_MESSAGE_CHARS` allows more, a send, an edit or a reaction that
 * would take a record past it is `payload_too_large`, changes nothing, and
 * takes no seq; the server logs no error and keeps serving.
 */
import assert from "node:assert/strict";
import { api, directChat, register } from "../_helpers/client.ts";
import { connect } from "../_helpers/sockets.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("messages too large for the embedded store", async (t) => {
  const errors: string[] = [];
  const server = await startTestServer(
    { MAX_MESSAGE_CHARS: "65536", MAX_BODY_BYTES: "1048576", LOG_LEVEL: "error" },
    { log: (line) => errors.push(line) },
  );
  const { url } = server;
  const [alice, bob] = [await register(url), await register(url)];
  const chatId = await directChat(url, alice, bob);
  const send = (content: string) =>
    api(url, "POST", `/api/chats/${chatId}/messages`, { token: alice.token, body: { content } });
  const history = async () =>
    (await api(url, "GET", `/api/chats/${chatId}/messages`, { token: bob.token })).body.messages;

  await t.step("a send past it: 413, nothing stored, no seq taken", async () => {
    const res = await send("x".repeat(60_000));
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, "payload_too_large");
    assert.deepEqual(await history(), []);
    assert.equal((await send("fits")).body.message.seq, 1);
  });

  // Sealed, 44,000 characters come to some 58,700 of the record's 60,000.
  const { message } = (await send("y".repeat(44_000))).body;

  await t.step("an edit past it: 413, the message as it was", async () => {
    const res = await api(url, "PUT", `/api/messages/${message.id}`, {
      token: alice.token,
      body: { content: "z".repeat(50_000) },
    });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, "payload_too_large");
    assert.equal((await history())[0].content, message.content);
  });

  await t.step("reactions until one would take it past: 413, those before kept", async () => {
    const socket = await connect(url, bob.token);
    let refused: { ok: boolean; error?: { code: string } } | undefined;
    let added = 0;
    while (!refused && added < 100) {
      const ack = await socket.socket.emitWithAck("message:reaction", {
        messageId: message.id,
        emoji: `👍${added}`,
      });
      if (ack.ok) added++;
      else refused = ack;
    }
    socket.close();
    assert.equal(refused?.error?.code, "payload_too_large");
    assert.ok(added > 0, "some fit first");
    assert.equal(Object.keys((await history())[0].reactions).length, added);
  });

  await t.step("no error logged, and the server still serves", async () => {
    assert.deepEqual(errors, []);
    assert.equal((await send("still here")).status, 201);
  });
  await server.close();
});
