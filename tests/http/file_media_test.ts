/**
 * What an uploader declares of a file's media, through real HTTP and sockets: a
 * picture's `width` and `height` and a recording's `durationMs` come back with
 * the upload, go with the message to the recipient's socket and its history,
 * and with a forward's copy. A file declared with none has none of the fields.
 * A bad declaration is `invalid_payload` and stores nothing.
 */
import assert from "node:assert/strict";
import { api, emitAck, history, scrape, SocketPool, until } from "../_helpers/client.ts";
import { filesCast, upload as uploadFile } from "../_helpers/files.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST files: media a client declares", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const { users: [alice, bob], direct, group } = await filesCast(url);
  const upload = (name: string, media: Record<string, string | number>, type = "image/png") =>
    uploadFile(url, alice.token, { chatId: direct, name, body: "pixels", type, media });
  const pool = new SocketPool(url);

  try {
    await t.step("declared: kept, sent with the message, copied by a forward", async () => {
      const bobSocket = await pool.open(bob.token);
      const pic = await upload("cat.png", { width: 1280, height: 720 });
      assert.equal(pic.status, 201, JSON.stringify(pic.body));
      const { id } = pic.body.file;
      const expected = {
        id,
        name: "cat.png",
        type: "image/png",
        size: 6,
        width: 1280,
        height: 720,
      };
      assert.deepEqual(pic.body.file, expected);
      const clip = await upload("hi.ogg", { durationMs: 4_250 }, "audio/ogg");
      assert.deepEqual(clip.body.file, {
        id: clip.body.file.id,
        name: "hi.ogg",
        type: "audio/ogg",
        size: 6,
        durationMs: 4_250,
      });
      const plain = (await upload("notes.txt", {}, "text/plain")).body.file;
      assert.deepEqual(Object.keys(plain).sort(), ["id", "name", "size", "type"]);

      const socket = await pool.open(alice.token);
      const ack = await emitAck(socket, "message:send", {
        chatId: direct,
        content: "look",
        clientMsgId: "with-media",
        attachments: [id, clip.body.file.id, plain.id],
      });
      assert.equal(ack.ok, true, JSON.stringify(ack));
      const files = [expected, clip.body.file, plain];
      assert.deepEqual(ack.message.attachments, files);
      await until("bob got it", () => bobSocket.received.length === 1);
      assert.deepEqual(bobSocket.received[0].attachments, files);
      assert.deepEqual((await history(url, bob.token, direct))[0].attachments, files);

      const forward = await api(url, "POST", `/api/chats/${group}/messages`, {
        token: alice.token,
        body: { content: "look", forwardOf: ack.message.id },
      });
      assert.equal(forward.status, 201, JSON.stringify(forward.body));
      const copies = forward.body.message.attachments;
      assert.deepEqual(copies.map((c: { id: string }) => ({ ...c, id: "" })), [
        { ...expected, id: "" },
        { ...clip.body.file, id: "" },
        { ...plain, id: "" },
      ]);
    });

    await t.step("declared wrong: invalid_payload, nothing stored", async () => {
      const before = (await scrape(url))("chat_files_uploaded_total");
      const bad: [Record<string, string | number>, string][] = [
        [{ width: 640 }, "height"], // width without height
        [{ height: 480 }, "height"],
        [{ width: 0, height: 480 }, "width"],
        [{ width: 640, height: 65_536 }, "height"],
        [{ width: 1.5, height: 480 }, "width"],
        [{ width: "wide", height: 480 }, "width"],
        [{ durationMs: 0 }, "durationMs"],
        [{ durationMs: 86_400_001 }, "durationMs"],
      ];
      for (const [media, path] of bad) {
        const res = await upload("bad.png", media);
        const label = JSON.stringify(media);
        assert.equal(res.status, 400, label);
        assert.equal(res.body.error.code, "invalid_payload", label);
        const paths = res.body.error.details.map((d: { path: string }) => d.path);
        assert.ok(paths.includes(path), `${label}: ${JSON.stringify(res.body.error)}`);
      }
      assert.equal((await scrape(url))("chat_files_uploaded_total"), before, "none stored");
      const good = await upload("ok.png", { width: 65_535, height: 1, durationMs: 86_400_000 });
      assert.equal(good.status, 201, "the bounds themselves pass");
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
