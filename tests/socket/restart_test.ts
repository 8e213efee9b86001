/**
 * Crash safety: a message acknowledged as stored survives a SIGKILL of the
 * server and reaches its recipient from the restarted process.
 */
import assert from "node:assert/strict";
import { api, connect, directChat, emitAck, register, until } from "../_helpers/client.ts";
import { spawnServer } from "../_helpers/server.ts";

Deno.test("a hard restart between send and connect loses nothing", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "chat-crash-" });
  const first = await spawnServer({ DATA_DIR: dataDir });
  const [alice, bob] = [await register(first.url), await register(first.url)];
  const chatId = await directChat(first.url, alice, bob);
  const a = await connect(first.url, alice.token);
  const acks = [];
  for (let i = 1; i <= 5; i++) {
    acks.push(
      await emitAck(a, "message:send", {
        chatId,
        content: `before crash ${i}`,
        clientMsgId: `k${i}`,
      }),
    );
  }
  a.close();
  await first.kill();

  const second = await spawnServer({ DATA_DIR: dataDir });
  const b = await connect(second.url, bob.token);
  await until("backlog after restart", () => b.received.length === 5);
  assert.deepEqual(b.received.map((m) => m.id), acks.map((x) => x.message.id));
  assert.ok(b.received.every((m) => m.isNew === false));
  // The sequence continues where it stopped, and the old token still works.
  const a2 = await connect(second.url, alice.token);
  const next = await emitAck(a2, "message:send", { chatId, content: "after", clientMsgId: "k6" });
  assert.equal(next.message.seq, 6);
  const retry = await emitAck(a2, "message:send", {
    chatId,
    content: "before crash 1",
    clientMsgId: "k1",
  });
  assert.equal(retry.message.id, acks[0].message.id, "idempotency survives the restart");
  await until("sixth", () => b.received.length === 6);
  const history = await api(second.url, "GET", `/api/chats/${chatId}/messages`, {
    token: bob.token,
  });
  assert.equal(history.body.messages.length, 6);
  a2.close();
  b.close();
  await second.kill();
  await Deno.remove(dataDir, { recursive: true });
});
