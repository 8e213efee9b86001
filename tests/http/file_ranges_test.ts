/**
 * A file read in parts through real HTTP: byte ranges (suffix, open-ended,
 * clamped, unsatisfiable, several or invalid ones answered whole), `If-Range`,
 * `ETag` revalidation that tells a non-member nothing, `HEAD`, and the range
 * headers exposed to a browser on another origin.
 */
import assert from "node:assert/strict";
import { api, directChat, registerAll } from "../_helpers/client.ts";
import { download, upload } from "../_helpers/files.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST files: read in parts", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob, carol] = await registerAll(url, "alice", "bob", "carol");
  const direct = await directChat(url, alice, bob);
  try {
    await t.step("read in parts, revalidated by its tag", async () => {
      const data = new Uint8Array(1000).map((_, i) => i % 251);
      const clip = { chatId: direct, name: "clip.mp4", body: data, type: "video/mp4" };
      const id = (await upload(url, alice.token, clip)).body.file.id;
      const sent = await api(url, "POST", `/api/chats/${direct}/messages`, {
        token: alice.token,
        body: { content: "clip", attachments: [id] },
      });
      assert.equal(sent.status, 201);
      const get = async (headers: Record<string, string>, token = bob.token) => {
        const res = await download(url, token, id, headers);
        return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
      };
      const whole = await get({});
      assert.equal(whole.res.status, 200);
      assert.equal(whole.res.headers.get("Accept-Ranges"), "bytes");
      const etag = whole.res.headers.get("ETag")!;
      assert.match(etag, /^"[^"]+"$/);
      const part = async (range: string, extra: Record<string, string> = {}) => {
        const { res, bytes } = await get({ Range: range, ...extra });
        return [res.status, res.headers.get("Content-Range"), bytes.length, bytes[0]];
      };
      assert.deepEqual(await part("bytes=10-19"), [206, "bytes 10-19/1000", 10, 10]);
      assert.deepEqual(await part("bytes=990-"), [206, "bytes 990-999/1000", 10, 990 % 251]);
      assert.deepEqual(await part("bytes=-5"), [206, "bytes 995-999/1000", 5, 995 % 251]);
      assert.deepEqual(await part("bytes=995-5000"), [206, "bytes 995-999/1000", 5, 995 % 251]);
      assert.deepEqual(await part("bytes=-5000"), [206, "bytes 0-999/1000", 1000, 0]);
      assert.deepEqual(await part("bytes=-0"), [416, "bytes */1000", 0, undefined]);
      assert.deepEqual(await part("bytes=1000-"), [416, "bytes */1000", 0, undefined]);
      assert.deepEqual(await part("bytes=0-1,5-6"), [200, null, 1000, 0], "several: the whole");
      assert.deepEqual(await part("bytes=9-3"), [200, null, 1000, 0], "invalid: ignored");
      assert.deepEqual(await part("bytes=10-19", { "If-Range": etag }), [
        206,
        "bytes 10-19/1000",
        10,
        10,
      ]);
      assert.deepEqual(await part("bytes=10-19", { "If-Range": '"other"' }), [200, null, 1000, 0]);
      const cached = await get({ "If-None-Match": `"other", ${etag}` });
      assert.deepEqual([cached.res.status, cached.bytes.length], [304, 0]);
      const outsider = await get({ "If-None-Match": etag }, carol.token);
      assert.equal(outsider.res.status, 404, "the tag tells nothing to a non-member");
      const head = await fetch(`${url}/api/files/${id}`, {
        method: "HEAD",
        headers: { Authorization: `Bearer ${bob.token}` },
      });
      assert.deepEqual(
        [head.status, head.headers.get("Content-Length"), head.headers.get("ETag")],
        [200, "1000", etag],
        "HEAD: the size and tag without the bytes",
      );
      assert.equal((await head.arrayBuffer()).byteLength, 0);
      const cross = await get({ Origin: "https://app.example", Range: "bytes=0-0" });
      assert.match(cross.res.headers.get("Access-Control-Expose-Headers")!, /Content-Range/);
    });
  } finally {
    await server.close();
  }
});
