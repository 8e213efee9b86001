/**
 * Files through real HTTP and sockets: a member uploads a file to a chat, sends
 * it with a message, and the other members get it with the message and read its
 * bytes; it is private to the chat (its uploader's alone until sent), belongs to
 * one message, goes with that message's delete (or takedown), and is copied by a forward.
 * A member added to a group later reads only the files sent after they joined;
 * a deleted account's files stay with the messages it sent. Reads in parts are
 * in `file_ranges_test.ts`, bad uploads and the upload limit in `bad_uploads_test.ts`.
 */
import assert from "node:assert/strict";
import {
  api,
  directChat,
  emitAck,
  history,
  PASSWORD,
  registerAll,
  scrape,
  SocketPool,
  until,
} from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { download as downloadFile, upload as uploadFile } from "../_helpers/files.ts";

const ADMIN = "a".repeat(32);

Deno.test("REST files: upload, send, read, forward, delete", async (t) => {
  // A body limit below the file limit: uploads have their own.
  const limits = { MAX_BODY_BYTES: "1024", MAX_FILE_BYTES: "4096" };
  const server = await startTestServer({ ...limits, ADMIN_TOKEN: ADMIN });
  const { url } = server;
  const [alice, bob, carol, dave] = await registerAll(url, "alice", "bob", "carol", "dave");
  const direct = await directChat(url, alice, bob);
  const group = (await api(url, "POST", "/api/chats", {
    token: alice.token,
    body: { type: "group", name: "club", participantIds: [carol.user.id] },
  })).body.chat.id;
  const upload = (token: string, chatId: string, name: string, body: BodyInit, type = "") =>
    uploadFile(url, token, { chatId, name, body, type });
  const download = (token: string, id: string) => downloadFile(url, token, id);
  const post = (token: string, chatId: string, body: Record<string, unknown>) =>
    api(url, "POST", `/api/chats/${chatId}/messages`, { token, body });
  const pool = new SocketPool(url);
  const notes = "x".repeat(3000);

  try {
    const bobSocket = await pool.open(bob.token);
    let file: { id: string; name: string; type: string; size: number };
    let sent: { id: string; attachments: unknown[] };

    await t.step("uploaded past the API's body limit, private to its uploader", async () => {
      const res = await upload(alice.token, direct, "../docs/notes.txt", notes, "text/plain");
      assert.equal(res.status, 201, JSON.stringify(res.body));
      file = res.body.file;
      const expected = { id: file.id, name: "notes.txt", type: "text/plain", size: 3000 };
      assert.deepEqual(file, expected);
      assert.equal(await (await download(alice.token, file.id)).text(), notes, "alice reads it");
      assert.equal((await scrape(url))("chat_files_uploaded_total"), 1);
      const early = await download(bob.token, file.id);
      assert.equal(early.status, 404, "bob may not read it before it is sent");
      await early.body?.cancel();
    });

    await t.step("sent with a message: delivered with it and read by the chat", async () => {
      const socket = await pool.open(alice.token);
      const ack = await emitAck(socket, "message:send", {
        chatId: direct,
        content: "the notes",
        clientMsgId: "with-notes",
        attachments: [file.id],
      });
      assert.equal(ack.ok, true, JSON.stringify(ack));
      sent = ack.message;
      assert.deepEqual(sent.attachments, [file]);
      await until("bob got it", () => bobSocket.received.length === 1);
      assert.deepEqual(bobSocket.received[0].attachments, [file]);
      assert.deepEqual((await history(url, bob.token, direct))[0].attachments, [file]);
      const res = await download(bob.token, file.id);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), notes);
      assert.equal(res.headers.get("Content-Type"), "text/plain");
      assert.equal(
        res.headers.get("Content-Disposition"),
        `attachment; filename="notes.txt"; filename*=UTF-8''notes.txt`,
      );
      assert.equal(res.headers.get("X-Content-Type-Options"), "nosniff");
      assert.match(res.headers.get("Content-Security-Policy")!, /sandbox/);
      const again = await emitAck(socket, "message:send", {
        chatId: direct,
        content: "the notes",
        clientMsgId: "with-notes",
        attachments: [file.id],
      });
      assert.equal(again.message.id, sent.id, "a retry is the same message");
    });

    await t.step("one message's: not attachable again, nor by others or elsewhere", async () => {
      const reuse = await post(alice.token, direct, { content: "again", attachments: [file.id] });
      assert.equal(reuse.status, 409, JSON.stringify(reuse.body));
      assert.equal(reuse.body.error.code, "conflict");
      const own = (await upload(alice.token, direct, "a.txt", "a", "text/plain")).body.file;
      const byBob = await post(bob.token, direct, { content: "mine", attachments: [own.id] });
      assert.equal(byBob.status, 404, "bob did not upload it");
      const elsewhere = await post(alice.token, group, { content: "here", attachments: [own.id] });
      assert.equal(elsewhere.status, 404, "it was uploaded to another chat");
      assert.equal((await history(url, alice.token, group)).length, 0, "nothing stored");
      const outsider = await download(carol.token, file.id);
      assert.equal(outsider.status, 404, "carol is not in the chat");
      await outsider.body?.cancel();
      const png = new Uint8Array([137, 80]);
      const pic = await upload(alice.token, direct, "pic.png", png, "image/png");
      const posted = await post(alice.token, direct, {
        content: "pic",
        attachments: [pic.body.file.id],
      });
      assert.equal(posted.status, 201);
      const inline = await download(bob.token, pic.body.file.id);
      assert.match(inline.headers.get("Content-Disposition")!, /^inline;/);
      assert.deepEqual(new Uint8Array(await inline.arrayBuffer()), new Uint8Array([137, 80]));
    });

    await t.step("a forward copies the files into the other chat", async () => {
      const res = await post(alice.token, group, { content: "the notes", forwardOf: sent.id });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const [copy] = res.body.message.attachments;
      assert.notEqual(copy.id, file.id);
      assert.deepEqual({ ...copy, id: file.id }, file);
      assert.equal(await (await download(carol.token, copy.id)).text(), notes);
      const original = await download(carol.token, file.id);
      assert.equal(original.status, 404, "the original stays the direct chat's");
      await original.body?.cancel();
      const both = await post(alice.token, group, {
        content: "the notes",
        forwardOf: sent.id,
        attachments: [copy.id],
      });
      assert.equal(both.status, 400, "a forward carries the original's files only");
    });

    await t.step("a member added later reads the files sent after, not before", async () => {
      const before = (await upload(alice.token, group, "before.txt", "b")).body.file;
      await post(alice.token, group, { content: "before", attachments: [before.id] });
      const added = await api(url, "POST", `/api/chats/${group}/participants`, {
        token: alice.token,
        body: { userId: dave.user.id },
      });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      const after = (await upload(alice.token, group, "after.txt", "a")).body.file;
      await post(alice.token, group, { content: "after", attachments: [after.id] });
      const early = await download(dave.token, before.id);
      assert.equal(early.status, 404, "sent before dave joined");
      await early.body?.cancel();
      assert.equal(await (await download(dave.token, after.id)).text(), "a");
      assert.equal(await (await download(carol.token, before.id)).text(), "b", "carol was there");
    });

    await t.step("deleting the message removes its files, not the forward's copy", async () => {
      const res = await api(url, "DELETE", `/api/messages/${sent.id}`, { token: alice.token });
      assert.equal(res.status, 204);
      const gone = await download(bob.token, file.id);
      assert.equal(gone.status, 404);
      await gone.body?.cancel();
      const [tombstone] = (await history(url, bob.token, direct)).filter((m) => m.id === sent.id);
      assert.equal(tombstone.attachments, undefined);
      const [forwarded] = await history(url, carol.token, group);
      const copy = await download(carol.token, forwarded.attachments[0].id);
      assert.equal(copy.status, 200);
      await copy.body?.cancel();
    });

    await t.step("a moderator's takedown removes the files too", async () => {
      const id = (await upload(alice.token, direct, "spam.png", "x", "image/png")).body.file.id;
      const { message } = (await post(alice.token, direct, { content: "spam", attachments: [id] }))
        .body;
      const res = await api(url, "DELETE", `/api/admin/messages/${message.id}`, { token: ADMIN });
      assert.equal(res.status, 204, JSON.stringify(res.body));
      const gone = await download(bob.token, id);
      assert.equal(gone.status, 404);
      await gone.body?.cancel();
    });

    await t.step("a deleted account's files stay with the messages it sent", async () => {
      const id = (await upload(dave.token, group, "bye.txt", "bye")).body.file.id;
      assert.equal(
        (await post(dave.token, group, { content: "bye", attachments: [id] })).status,
        201,
      );
      const gone = await api(url, "DELETE", "/api/auth/me", {
        token: dave.token,
        body: { password: PASSWORD },
      });
      assert.equal(gone.status, 204, JSON.stringify(gone.body));
      assert.equal(await (await download(carol.token, id)).text(), "bye");
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
