/**
 * A graceful stop (SIGTERM, as in a deploy) answers every send it took: those
 * in progress are stored and acknowledged, and whatever arrives during the drain
 * (socket events, REST requests, new sockets, /health) is refused with
 * `unavailable`, so none is left to time out. A device's catch-up does not hold
 * the stop; a download in progress does, until its last byte.
 */
import assert from "node:assert/strict";
import {
  api,
  connect,
  connectError,
  directChat,
  emitAck,
  history,
  register,
  sleep,
  until,
} from "../_helpers/client.ts";
import { spawnServer } from "../_helpers/server.ts";
import { upload } from "../_helpers/files.ts";

Deno.test("a graceful stop answers every send: stored or refused", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "chat-stop-" });
  const env = { DATA_DIR: dataDir, RATE_LIMIT_MESSAGES: "1000000" };
  const server = await spawnServer(env);
  const [alice, bob] = [await register(server.url), await register(server.url)];
  const chatId = await directChat(server.url, alice, bob);
  const a = await connect(server.url, alice.token);
  const answers: string[] = [];
  const stored: string[] = [];
  let n = 0;
  // Eight sends in flight at all times, each lane sending again at once, until refused.
  const lanes = Array.from({ length: 8 }, async () => {
    while (true) {
      const clientMsgId = `s${n++}`;
      const ack = await a.socket.timeout(5_000)
        .emitWithAck("message:send", { chatId, content: clientMsgId, clientMsgId })
        .catch((error: Error) => ({ ok: false, error: { code: `lost: ${error.message}` } }));
      if (ack.ok) stored.push(ack.message.id);
      else return answers.push(ack.error.code);
    }
  });
  // And one over REST, on a kept-alive connection: answered, never cut.
  lanes.push((async () => {
    while (true) {
      const clientMsgId = `s${n++}`;
      const res = await api(server.url, "POST", `/api/chats/${chatId}/messages`, {
        token: alice.token,
        body: { content: clientMsgId, clientMsgId },
      }).catch((error: Error) => ({ status: 0, body: { error: { code: `lost: ${error}` } } }));
      if (res.status === 201) stored.push(res.body.message.id);
      else return answers.push(res.body.error.code);
    }
  })());
  await until("sends flowing", () => stored.length >= 200);
  await server.kill("SIGTERM"); // throws unless the process exits 0
  await Promise.all(lanes);
  assert.deepEqual(answers, Array(9).fill("unavailable"), "each lane's last send refused");
  a.close();

  const again = await spawnServer(env);
  const messages = await history(again.url, bob.token, chatId);
  assert.deepEqual(messages.map((m) => m.seq), messages.map((_, i) => i + 1), "seq 1..n");
  assert.deepEqual(messages.map((m) => m.id).sort(), stored.sort(), "every acknowledged send");
  await again.kill();
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("a graceful stop does not wait for a device's catch-up", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "chat-stop-" });
  // A device that never acks holds its catch-up answer for the whole ack timeout.
  const server = await spawnServer({
    DATA_DIR: dataDir,
    ACK_TIMEOUT_MS: "300000",
    SHUTDOWN_GRACE_MS: "600000",
  });
  const [alice, bob] = [await register(server.url), await register(server.url)];
  const chatId = await directChat(server.url, alice, bob);
  await api(server.url, "POST", `/api/chats/${chatId}/messages`, {
    token: alice.token,
    body: { content: "never acked" },
  });
  const b = await connect(server.url, bob.token, { autoAck: false });
  await until("delivered, not acked", () => b.received.length === 1);
  b.socket.emit("user:reconnected", () => {});
  // Events of one socket reach their handlers in order: once this is answered, the catch-up runs.
  await emitAck(b, "message:markRead", { chatId, upToSeq: 1 });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the stop waited for the catch-up")), 30_000);
  });
  await Promise.race([server.kill("SIGTERM"), hung]).finally(() => clearTimeout(timer));
  b.close();
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("while a stop drains, a request in progress finishes and new ones are refused", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "chat-stop-" });
  const env = { DATA_DIR: dataDir, SHUTDOWN_GRACE_MS: "600000" };
  const server = await spawnServer(env);
  const [alice, bob] = [await register(server.url), await register(server.url)];
  const chatId = await directChat(server.url, alice, bob);
  // A send whose body is still arriving holds the drain open for as long as the test likes.
  let rest!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (controller) => void (rest = controller) });
  rest.enqueue(new TextEncoder().encode('{"content":"sent while'));
  const slow = fetch(`${server.url}/api/chats/${chatId}/messages`, {
    method: "POST",
    headers: { Authorization: `Bearer ${alice.token}`, "Content-Type": "application/json" },
    body,
  });
  await sleep(500); // its headers reach the server
  const stopped = server.kill("SIGTERM");

  await until("health says the node is going", async () => {
    const res = await fetch(`${server.url}/health`);
    await res.body?.cancel();
    return res.status === 503 && res.headers.get("connection") === "close";
  });
  const refused = await api(server.url, "GET", "/api/auth/me", { token: alice.token });
  assert.deepEqual([refused.status, refused.body.error.code], [503, "unavailable"]);
  assert.equal(await connectError(server.url, { token: bob.token }), "unavailable");

  rest.enqueue(new TextEncoder().encode(' stopping"}'));
  rest.close();
  const answer = await slow;
  assert.equal(answer.status, 201, "the request in progress is answered");
  const { message } = await answer.json();
  await stopped; // throws unless the process exits 0

  const again = await spawnServer(env);
  const messages = await history(again.url, bob.token, chatId);
  assert.deepEqual(messages.map((m) => [m.id, m.content]), [[message.id, "sent while stopping"]]);
  await again.kill();
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("a graceful stop lets a download in progress finish", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "chat-stop-" });
  const server = await spawnServer({ DATA_DIR: dataDir, SHUTDOWN_GRACE_MS: "600000" });
  const [alice, bob] = [await register(server.url), await register(server.url)];
  const chatId = await directChat(server.url, alice, bob);
  // Larger than what the connection's buffers hold while the client does not read.
  const size = 8 * 1024 * 1024;
  const bytes = new Uint8Array(size).map((_, i) => i % 251);
  const film = { chatId, name: "film.mp4", body: bytes, type: "video/mp4" };
  const { id } = (await upload(server.url, alice.token, film)).body.file;
  // A raw connection, so that the client reads when the test says.
  const conn = await Deno.connect({
    hostname: "127.0.0.1",
    port: Number(new URL(server.url).port),
  });
  await conn.write(new TextEncoder().encode(
    `GET /api/files/${id} HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer ${alice.token}\r\n\r\n`,
  ));
  const buffer = new Uint8Array(64 * 1024);
  const first = buffer.subarray(0, (await conn.read(buffer))!);
  // The headers and the first bytes of the body; then the client stalls.
  const head = new TextDecoder().decode(first).split("\r\n\r\n")[0];
  assert.match(head, new RegExp(`^HTTP/1.1 200 .*content-length: ${size}(\r\n|$)`, "is"));
  let body = first.length - head.length - 4;
  const stopped = server.kill("SIGTERM");
  await sleep(500); // the stop has begun
  while (body < size) {
    const n = await conn.read(buffer);
    if (n === null) break;
    body += n;
  }
  conn.close();
  await stopped; // throws unless the process exits 0
  assert.equal(body, size, "the whole body came");
  await Deno.remove(dataDir, { recursive: true });
});
