/**
 * Bad uploads through real HTTP get a clear code and store nothing: too large
 * (413, with or without a Content-Length), empty, unnamed, or to a chat the
 * uploader is not in. A type that is not one is stored as
 * `application/octet-stream`, and an odd name comes back safe in both forms of
 * `Content-Disposition`. Uploads past `UPLOAD_LIMIT` are refused with `rate_limited`.
 */
import assert from "node:assert/strict";
import { api, directChat, registerAll } from "../_helpers/client.ts";
import { download as downloadFile, upload as uploadFile } from "../_helpers/files.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST files: bad uploads", async (t) => {
  const server = await startTestServer({ MAX_FILE_BYTES: "4096", UPLOAD_LIMIT: "10" });
  const { url } = server;
  const [alice, bob, carol] = await registerAll(url, "alice", "bob", "carol");
  const direct = await directChat(url, alice, bob);
  const upload = (token: string, chatId: string, name: string, body: BodyInit, type = "") =>
    uploadFile(url, token, { chatId, name, body, type });
  const download = (token: string, id: string) => downloadFile(url, token, id);
  const post = (token: string, chatId: string, body: Record<string, unknown>) =>
    api(url, "POST", `/api/chats/${chatId}/messages`, { token, body });
  try {
    await t.step("bad uploads: a clear code, nothing stored", async () => {
      const tooBig = await upload(alice.token, direct, "big.bin", new Uint8Array(4097));
      assert.deepEqual([tooBig.status, tooBig.body.error.code], [413, "payload_too_large"]);
      const empty = await upload(alice.token, direct, "empty.txt", "");
      assert.deepEqual([empty.status, empty.body.error.code], [400, "invalid_payload"]);
      // Without a Content-Length (chunked), the same rules, once the body is read.
      const chunked = (...sizes: number[]) =>
        ReadableStream.from(sizes.map((n) => new Uint8Array(n)));
      const tooBigChunked = await upload(bob.token, direct, "big.bin", chunked(4000, 97));
      assert.deepEqual([tooBigChunked.status, tooBigChunked.body.error.code], [
        413,
        "payload_too_large",
      ]);
      const emptyChunked = await upload(bob.token, direct, "empty.txt", chunked());
      assert.deepEqual([emptyChunked.status, emptyChunked.body.error.code], [
        400,
        "invalid_payload",
      ]);
      assert.equal((await upload(bob.token, direct, "fits.bin", chunked(4000, 96))).status, 201);
      const noName = await upload(alice.token, direct, "", "x");
      assert.equal(noName.status, 400);
      const outsider = await upload(carol.token, direct, "x.txt", "x");
      assert.equal(outsider.status, 403);
      const unknownType = await upload(alice.token, direct, "x", "x", "not a type");
      assert.equal(unknownType.body.file.type, "application/octet-stream");
      // Sent, so that bob may read it: its name comes back both ways.
      const odd = (await upload(alice.token, direct, 'Grüße "1".txt', "x")).body.file;
      await post(alice.token, direct, { content: "odd name", attachments: [odd.id] });
      const named = await download(bob.token, odd.id);
      await named.body?.cancel();
      assert.equal(
        named.headers.get("Content-Disposition"),
        `attachment; filename="Gr__e _1_.txt"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%221%22.txt`,
      );
      const missing = await download(alice.token, "no-such-file");
      assert.equal(missing.status, 404);
      await missing.body?.cancel();
    });
    await t.step("uploads are rate limited per user", async () => {
      let refused;
      for (let i = 0; i < 12 && !refused; i++) {
        const res = await upload(bob.token, direct, "n.txt", "n");
        if (res.status !== 201) refused = res;
      }
      assert.equal(refused?.status, 429);
      assert.equal(refused.body.error.code, "rate_limited");
    });
  } finally {
    await server.close();
  }
});
