/**
 * Files stream through real HTTP. Large uploads go into the store as they
 * arrive (chunks are written before the body ends, and an upload cut off keeps
 * nothing); one without a Content-Length is read first, within the limit.
 * Large downloads come whole and in ranges across the store's pieces, and the
 * answer starts before the file has been read through, so a file whose end was
 * lost (here: chunks deleted from the KV file) is cut off mid-body rather than
 * refused up front, with one structured log line and no stack trace, and the
 * server goes on serving. Transfers that stall are in `file_idle_test.ts`.
 */
import assert from "node:assert/strict";
import { directChat, registerAll, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { download, upload } from "../_helpers/files.ts";
import { assertSameBytes } from "../_helpers/bytes.ts";

const SIZE = 3 * 1024 * 1024;

Deno.test("REST files: a large download is streamed", async (t) => {
  const logs: Record<string, unknown>[] = [];
  const server = await startTestServer({ LOG_LEVEL: "warn" }, {
    log: (line) => logs.push(JSON.parse(line)),
  });
  const { url } = server;
  const [alice, bob] = await registerAll(url, "alice", "bob");
  const chatId = await directChat(url, alice, bob);
  const data = new Uint8Array(SIZE).map((_, i) => (i * 13) % 256);
  const auth = { Authorization: `Bearer ${alice.token}` };
  const film = await upload(url, alice.token, {
    chatId,
    name: "film.mp4",
    body: data,
    type: "video/mp4",
  });
  assert.equal(film.status, 201);
  const { id } = film.body.file;
  const download = (headers: Record<string, string> = {}, signal?: AbortSignal) =>
    fetch(`${url}/api/files/${id}`, { headers: { ...auth, ...headers }, signal });

  try {
    await t.step("whole and in a range, across the store's pieces", async () => {
      const whole = await download();
      assert.equal(whole.status, 200);
      assert.equal(whole.headers.get("Content-Length"), `${SIZE}`);
      assertSameBytes(await whole.bytes(), data);
      const part = await download({ Range: "bytes=200000-2500000" });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get("Content-Length"), `${2_300_001}`);
      assertSameBytes(await part.bytes(), data.slice(200_000, 2_500_001));
    });

    await t.step("a client that goes away mid-body leaves nothing printed", async () => {
      const printed: unknown[] = [];
      const [error, info] = [console.error, console.info];
      console.error = console.info = (...args: unknown[]) => printed.push(args);
      try {
        const controller = new AbortController();
        const res = await download({}, controller.signal);
        const reader = res.body!.getReader();
        assert.ok((await reader.read()).value!.length > 0);
        controller.abort();
        await assert.rejects(reader.read());
        // The server sees the connection close; the next request is served.
        const again = await download({ Range: "bytes=0-9" });
        assertSameBytes(await again.bytes(), data.slice(0, 10));
      } finally {
        [console.error, console.info] = [error, info];
      }
      assert.deepEqual(printed, []);
      const cutOff = logs.filter((line) => line.msg === "download cut off");
      assert.deepEqual(cutOff, [], "not logged as cut off either: the client left");
    });

    await t.step("it starts before the file is read through", async () => {
      // The end of the file lost from the store: a server that read the file before
      // answering would answer 404; a streaming one has answered 200 and is cut off.
      const kv = await Deno.openKv(`${server.dataDir}/chat.kv`);
      const chunks = await Array.fromAsync(kv.list({ prefix: ["file_chunks", id] }));
      assert.ok(chunks.length > 40, `the file spans many chunks: ${chunks.length}`);
      for (const { key } of chunks.slice(30)) await kv.delete(key);
      kv.close();
      // The server adapter prints what a body's stream throws; here nothing may reach it.
      const printed: unknown[] = [];
      const print = console.error;
      console.error = (...args: unknown[]) => printed.push(args);
      try {
        const cut = await download();
        assert.equal(cut.status, 200);
        await assert.rejects(cut.bytes());
      } finally {
        console.error = print;
      }
      assert.deepEqual(printed, [], "no bare stack trace");
      const [cutOff] = logs.filter((line) => line.msg === "download cut off");
      assert.equal(cutOff?.level, "warn");
      assert.equal(cutOff?.path, `/api/files/${id}`);
      assert.match(String(cutOff?.error), /Cannot read file/);
      const health = await fetch(`${url}/health`);
      assert.equal(health.status, 200, "the server goes on serving");
      await health.body?.cancel();
    });
  } finally {
    await server.close();
  }
});

Deno.test("REST files: a large upload is streamed into the store", async (t) => {
  const logs: Record<string, unknown>[] = [];
  const server = await startTestServer({}, { log: (line) => logs.push(JSON.parse(line)) });
  const { url } = server;
  const [alice, bob] = await registerAll(url, "alice", "bob");
  const chatId = await directChat(url, alice, bob);
  const kv = await Deno.openKv(`${server.dataDir}/chat.kv`);
  const count = async (prefix: string) =>
    (await Array.fromAsync(kv.list({ prefix: [prefix] }))).length;

  try {
    await t.step("without a Content-Length (chunked), read first, within the limit", async () => {
      const data = new Uint8Array(300_000).map((_, i) => i % 199);
      const body = ReadableStream.from([data.slice(0, 1000), data.slice(1000)]);
      const res = await upload(url, alice.token, { chatId, name: "notes.bin", body });
      assert.equal(res.status, 201);
      const { id, size } = res.body.file;
      assert.equal(size, data.length);
      const back = await download(url, alice.token, id);
      assertSameBytes(await back.bytes(), data);
    });

    await t.step("written as it arrives; cut off, nothing is kept", async () => {
      const [chunks, unclaimed] = [await count("file_chunks"), await count("files_unclaimed")];
      const size = 4 * 1024 * 1024;
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      await conn.write(new TextEncoder().encode(
        `POST /api/chats/${chatId}/files?name=film.mp4 HTTP/1.1\r\nHost: t\r\n` +
          `Authorization: Bearer ${alice.token}\r\nContent-Type: video/mp4\r\n` +
          `Content-Length: ${size}\r\n\r\n`,
      ));
      // 35 chunks' worth, of which 20 must land. A write may take part of its buffer.
      const part = new Uint8Array(2 * 1024 * 1024);
      for (let at = 0; at < part.length;) at += await conn.write(part.subarray(at));
      // A server that read the body whole before storing it would have written nothing yet.
      await until(
        "chunks stored mid-upload",
        async () => await count("file_chunks") >= chunks + 20,
      );
      conn.close();
      await until("the chunks removed", async () => await count("file_chunks") === chunks);
      assert.equal(await count("files_unclaimed"), unclaimed);
      assert.deepEqual(logs.filter((line) => line.level === "error"), [], "not the server's error");
      const next = await upload(url, alice.token, { chatId, name: "a.txt", body: "a" });
      assert.equal(next.status, 201, "the server goes on serving");
    });
  } finally {
    kv.close();
    await server.close();
  }
});
