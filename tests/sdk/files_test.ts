/**
 * Files through the SDK against the real server: uploaded with the REST client
 * (with the media the app declares and a thumbnail), sent with a message written offline (the
 * outbox keeps its files), delivered with it, and read back by the partner; a
 * file not sent is not theirs to read.
 * @module
 */
import assert from "node:assert/strict";
import {
  ChatClient,
  type ChatClientError,
  type MessageView,
  RestClient,
} from "../../src/sdk/mod.ts";
import { directChat, registerAll, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("sdk: a file uploaded, sent offline-safe, and read back by the partner", async () => {
  const server = await startTestServer();
  const [alice, bob] = await registerAll(server.url, "alice", "bob");
  const chatId = await directChat(server.url, alice, bob);
  const [aliceRest, bobRest] = [alice, bob].map((u) => new RestClient(server.url, u.token));
  const a = new ChatClient({ url: server.url, token: alice.token });
  const b = new ChatClient({ url: server.url, token: bob.token });
  try {
    const got: MessageView[] = [];
    b.on("message", (m) => void got.push(m));
    b.connect();
    const photo = new File([new Uint8Array([1, 2, 3])], "cat.png", { type: "image/png" });
    const small = new Blob([new Uint8Array([9, 9])], { type: "image/webp" });
    const thumb = await aliceRest.uploadFile(chatId, small, { width: 64, height: 48 });
    const media = { width: 1024, height: 768 };
    const progress: number[][] = [];
    const onProgress = (sent: number, total: number) => void progress.push([sent, total]);
    const file = await aliceRest.uploadFile(chatId, photo, {
      ...media,
      thumbnail: thumb.id,
      onProgress,
    });
    assert.deepEqual(progress, [[3, 3]], "off a browser, told at the end");
    assert.deepEqual({ ...file, id: "" }, {
      id: "",
      name: "cat.png",
      type: "image/png",
      size: 3,
      ...media,
      thumbnail: { id: thumb.id, type: "image/webp", size: 2, width: 64, height: 48 },
    });
    const sending = a.send(chatId, "cat.png", { attachments: [file.id] });
    assert.deepEqual(a.outbox[0].attachments, [file.id], "kept in the outbox with its files");
    a.connect();
    assert.deepEqual((await sending).attachments, [file]);
    await until("bob got it", () => got.length === 1);
    assert.deepEqual(got[0].attachments, [file]);
    const blob = await bobRest.downloadFile(file.id);
    assert.equal(blob.type, "image/png");
    assert.deepEqual(new Uint8Array(await blob.arrayBuffer()), new Uint8Array([1, 2, 3]));
    const thumbBlob = await bobRest.downloadFile(got[0].attachments![0].thumbnail!.id);
    assert.deepEqual(new Uint8Array(await thumbBlob.arrayBuffer()), new Uint8Array([9, 9]));
    const named = await aliceRest.uploadFile(chatId, new Blob(["x"]), "notes.txt");
    assert.deepEqual([named.name, named.type], ["notes.txt", "application/octet-stream"]);
    const voice = new Blob(["ogg"], { type: "audio/ogg" });
    const note = await aliceRest.uploadFile(chatId, voice, { name: "hi.ogg", durationMs: 3_000 });
    assert.deepEqual([note.name, note.durationMs, note.width], ["hi.ogg", 3_000, undefined]);
    await assert.rejects(
      bobRest.downloadFile(named.id),
      (e: ChatClientError) => e.code === "not_found",
    );
  } finally {
    a.close();
    b.close();
    await server.close();
  }
});
