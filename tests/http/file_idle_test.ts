/**
 * File transfers that move nothing for `FILE_IDLE_MS`, through raw TCP: an
 * upload whose client stops sending (with a Content-Length or chunked) is
 * answered 400 and keeps no chunk; a download whose client stops reading is cut
 * off, while one that keeps reading with shorter pauses is served to the end,
 * however long it takes. Each stall is one structured line at info.
 */
import assert from "node:assert/strict";
import { directChat, registerAll, sleep, until } from "../_helpers/client.ts";
import { download, upload } from "../_helpers/files.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST files: a transfer that moves nothing is cut off", async (t) => {
  const logs: Record<string, unknown>[] = [];
  const server = await startTestServer({ LOG_LEVEL: "info", FILE_IDLE_MS: "500" }, {
    log: (line) => logs.push(JSON.parse(line)),
  });
  const [alice, bob] = await registerAll(server.url, "alice", "bob");
  const chatId = await directChat(server.url, alice, bob);
  const auth = { Authorization: `Bearer ${alice.token}` };
  const size = 8 * 1024 * 1024; // more than the connection's buffers hold
  const film = { chatId, name: "film.mp4", body: new Uint8Array(size), type: "video/mp4" };
  const { id } = (await upload(server.url, alice.token, film)).body.file;
  const kv = await Deno.openKv(`${server.dataDir}/chat.kv`);
  const chunks = async () => (await Array.fromAsync(kv.list({ prefix: ["file_chunks"] }))).length;
  try {
    // Declared or chunked: a chunked body is read whole before it is stored, within the limit.
    for (
      const [kind, framing, first] of [
        ["declared", "Content-Length: 1000000", ""],
        ["chunked", "Transfer-Encoding: chunked", "f4240\r\n"], // one chunk of 1,000,000
      ]
    ) {
      await t.step(
        `an upload (${kind}) whose client stops sending: 400, nothing kept`,
        async () => {
          const before = await chunks();
          const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
          await conn.write(new TextEncoder().encode(
            `POST /api/chats/${chatId}/files?name=a.bin HTTP/1.1\r\nHost: t\r\n` +
              `Authorization: ${auth.Authorization}\r\n${framing}\r\n\r\n${first}`,
          ));
          await conn.write(new Uint8Array(1000));
          const buffer = new Uint8Array(4096);
          // The answer, once the limit has passed; a server that waits on is failed after 10 s.
          let timer: ReturnType<typeof setTimeout> | undefined;
          const late = new Promise<null>((resolve) =>
            timer = setTimeout(() => resolve(null), 10_000)
          );
          const n = await Promise.race([conn.read(buffer), late]);
          clearTimeout(timer);
          assert.match(
            new TextDecoder().decode(buffer.subarray(0, n ?? 0)),
            /^HTTP\/1.1 400 .*upload was cut short/s,
          );
          conn.close();
          assert.ok(logs.splice(0).some((line) => line.msg === "upload stalled"));
          assert.equal(await chunks(), before, "nothing kept");
        },
      );
    }

    await t.step("a download whose client stops reading", async () => {
      // A client that keeps reading, with pauses shorter than the limit, is served to the end,
      // however long the whole takes: the limit is on each wait, not on the download.
      const slow = (await download(server.url, alice.token, id)).body!;
      const started = Date.now();
      let [taken, paused] = [0, 0];
      for await (const piece of slow) {
        taken += piece.length;
        if (taken - paused >= 1024 * 1024) {
          paused = taken;
          await sleep(150); // a pause every megabyte, well under the limit
        }
      }
      assert.equal(taken, size);
      assert.ok(Date.now() - started > 1000, "the download took longer than the limit");
      // One that stops reading is cut off once the limit passes.
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      await conn.write(new TextEncoder().encode(
        `GET /api/files/${id} HTTP/1.1\r\nHost: t\r\nAuthorization: ${auth.Authorization}\r\n\r\n`,
      ));
      const buffer = new Uint8Array(64 * 1024);
      let received = (await conn.read(buffer)) ?? 0;
      await until("the stall logged", () => logs.some((line) => line.msg === "download stalled"));
      // What the buffers held still comes, then the end: far short of the file.
      while (true) {
        const n = await conn.read(buffer).catch(() => null);
        if (n === null) break;
        received += n;
      }
      conn.close();
      assert.ok(received < size, `cut off after ${received} of ${size} bytes`);
      const [stalled] = logs.filter((line) => line.msg === "download stalled");
      assert.deepEqual([stalled.level, stalled.path], ["info", `/api/files/${id}`]);
    });
  } finally {
    kv.close();
    await server.close();
  }
});
