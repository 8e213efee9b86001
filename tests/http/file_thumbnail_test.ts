/**
 * Thumbnails through real HTTP and sockets: a smaller picture uploaded first
 * and named by a file's upload goes with the file to the recipient's socket and
 * history, is read by whoever reads the file (and by no one before it is
 * sent), is copied by a forward and removed with its message. A thumbnail that
 * is not the uploader's own there, not a picture, too large, itself thumbnailed
 * or already sent is refused and stores nothing.
 */
import assert from "node:assert/strict";
import { MAX_THUMBNAIL_BYTES } from "../../src/protocol/mod.ts";
import { api, emitAck, history, scrape, SocketPool, until } from "../_helpers/client.ts";
import { download, filesCast, upload as uploadFile } from "../_helpers/files.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST files: thumbnails", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const { users: [alice, bob, carol], direct, group } = await filesCast(url);
  const upload = (
    name: string,
    options: { body?: BodyInit; type?: string; media?: Record<string, string | number> } = {},
    token = alice.token,
    chatId = direct,
  ) => uploadFile(url, token, { chatId, name, body: "pixels", type: "image/png", ...options });
  const thumbBytes = new Uint8Array(2_000).fill(7);
  const thumbnailed = async (clientMsgId: string) => {
    const thumb = (await upload("t.webp", {
      body: thumbBytes,
      type: "image/webp",
      media: { width: 320, height: 240 },
    })).body.file;
    const media = { width: 4032, height: 3024, thumbnail: thumb.id };
    const photo = await upload("photo.png", { media });
    assert.equal(photo.status, 201, JSON.stringify(photo.body));
    return { thumb, photo: photo.body.file, clientMsgId };
  };
  const read = async (token: string, id: string) => {
    const res = await download(url, token, id);
    return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()) };
  };
  const pool = new SocketPool(url);

  try {
    let sent: { id: string; thumbnail: string };
    await t.step("named by its file: sent, read by the recipient, in history", async () => {
      const bobSocket = await pool.open(bob.token);
      const { thumb, photo } = await thumbnailed("photo-1");
      const thumbnail = { id: thumb.id, type: "image/webp", size: 2_000, width: 320, height: 240 };
      assert.deepEqual(photo.thumbnail, thumbnail);
      assert.equal((await read(bob.token, thumb.id)).status, 404, "not before it is sent");
      assert.equal((await read(alice.token, thumb.id)).status, 200, "its uploader reads it");

      const ack = await emitAck(await pool.open(alice.token), "message:send", {
        chatId: direct,
        content: "look",
        clientMsgId: "photo-1",
        attachments: [photo.id],
      });
      assert.equal(ack.ok, true, JSON.stringify(ack));
      assert.deepEqual(ack.message.attachments, [photo], "the file alone, its thumbnail within");
      await until("bob got it", () => bobSocket.received.length === 1);
      assert.deepEqual(bobSocket.received[0].attachments, [photo]);
      assert.deepEqual((await history(url, bob.token, direct))[0].attachments, [photo]);
      assert.deepEqual(await read(bob.token, thumb.id), { status: 200, bytes: thumbBytes });
      assert.equal((await read(carol.token, thumb.id)).status, 404, "not a member");
      sent = { id: ack.message.id, thumbnail: thumb.id };
    });

    await t.step("copied by a forward, removed with its message", async () => {
      const forward = await api(url, "POST", `/api/chats/${group}/messages`, {
        token: alice.token,
        body: { content: "look", forwardOf: sent.id },
      });
      assert.equal(forward.status, 201, JSON.stringify(forward.body));
      const [copy] = forward.body.message.attachments;
      assert.notEqual(copy.thumbnail.id, sent.thumbnail, "a copy of its own");
      assert.deepEqual({ ...copy.thumbnail, id: "" }, {
        id: "",
        type: "image/webp",
        size: 2_000,
        width: 320,
        height: 240,
      });
      assert.deepEqual(await read(carol.token, copy.thumbnail.id), {
        status: 200,
        bytes: thumbBytes,
      });

      const removed = await api(url, "DELETE", `/api/messages/${sent.id}`, { token: alice.token });
      assert.equal(removed.status, 204, JSON.stringify(removed.body));
      assert.equal((await read(alice.token, sent.thumbnail)).status, 404, "gone with its message");
      assert.equal((await read(carol.token, copy.thumbnail.id)).status, 200, "the copy stays");
    });

    await t.step("named wrong: refused, nothing stored", async () => {
      const big = new Uint8Array(MAX_THUMBNAIL_BYTES + 1);
      const ids = {
        textual: (await upload("t.txt", { type: "text/plain" })).body.file.id,
        svg: (await upload("t.svg", { type: "image/svg+xml" })).body.file.id,
        big: (await upload("big.png", { body: big })).body.file.id,
        bobs: (await upload("b.png", {}, bob.token)).body.file.id,
        elsewhere: (await upload("g.png", {}, alice.token, group)).body.file.id,
        thumbnailed: (await thumbnailed("unsent")).photo.id,
        sent: (await upload("s.png")).body.file.id,
      };
      const socket = await pool.open(alice.token);
      const ack = await emitAck(socket, "message:send", {
        chatId: direct,
        content: "a picture",
        clientMsgId: "sent-itself",
        attachments: [ids.sent],
      });
      assert.equal(ack.ok, true, JSON.stringify(ack));
      const before = (await scrape(url))("chat_files_uploaded_total");
      const cases: [string, number, string][] = [
        [crypto.randomUUID(), 404, "not_found"],
        [ids.bobs, 404, "not_found"],
        [ids.elsewhere, 404, "not_found"],
        [ids.textual, 400, "invalid_payload"],
        [ids.svg, 400, "invalid_payload"],
        [ids.big, 400, "invalid_payload"],
        [ids.thumbnailed, 400, "invalid_payload"],
        [ids.sent, 409, "conflict"],
      ];
      for (const [thumbnail, status, code] of cases) {
        const res = await upload("photo.png", { media: { thumbnail } });
        assert.equal(res.status, status, `${thumbnail}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, code);
      }
      assert.equal((await scrape(url))("chat_files_uploaded_total"), before, "none stored");
      const edge = await upload("edge.png", { body: new Uint8Array(MAX_THUMBNAIL_BYTES) });
      const res = await upload("photo.png", { media: { thumbnail: edge.body.file.id } });
      assert.equal(res.status, 201, "the bound itself passes");
    });

    await t.step("a thumbnail sent on its own refuses its file's send", async () => {
      const { thumb, photo } = await thumbnailed("late");
      const socket = await pool.open(alice.token);
      const send = (clientMsgId: string, attachments: string[]) =>
        emitAck(socket, "message:send", { chatId: direct, content: "x", clientMsgId, attachments });
      assert.equal((await send("thumb-alone", [thumb.id])).ok, true);
      const refused = await send("photo-late", [photo.id]);
      assert.equal(refused.error?.code, "conflict", JSON.stringify(refused));
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
