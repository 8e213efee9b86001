/**
 * Taking a message back out of the SDK's outbox, against the real server: one
 * written offline is never sent, its bytes leave the file storage and the next
 * one goes; one whose file is going up stops the upload (the connection is
 * cut at the HTTP front holding it); one the server was asked to store, even
 * by an earlier run of the app, is not taken back, since the server may have
 * it. Before its first try the entry is kept as tried.
 * @module
 */
import assert from "node:assert/strict";
import {
  ChatClient,
  type OutboxEntry,
  type OutboxFileStorage,
  type OutboxStorage,
  RestClient,
} from "../../src/sdk/mod.ts";
import { directChat, fastRetry, registerAll, scrape, until, within } from "../_helpers/client.ts";
import { startHttpFront } from "../_helpers/http_front.ts";
import { startTestServer } from "../_helpers/server.ts";

const isAbort = (e: Error) => e.name === "AbortError";

Deno.test("sdk: messages taken back out of the outbox", async (t) => {
  const server = await startTestServer();
  const [alice, bob] = await registerAll(server.url, "alice", "bob");
  const chatId = await directChat(server.url, alice, bob);
  const newest = async () =>
    (await new RestClient(server.url, bob.token).history(chatId, { limit: 1 })).messages[0];
  const uploads = async () => (await scrape(server.url))("chat_files_uploaded_total");
  // Uploads are held at the front until released; `cut` tells when their client went away.
  let release = () => {};
  let [held, cut] = [0, false];
  const front = await startHttpFront(server.port, async (request) => {
    if (request.method !== "POST" || !request.url?.includes("/files")) return null;
    held++;
    request.socket.on("close", () => (cut = true));
    await new Promise<void>((resolve) => (release = resolve));
    return null;
  });
  const blobs = new Map<string, Blob>();
  const files: OutboxFileStorage = {
    put: (key, blob) => void blobs.set(key, blob),
    get: (key) => blobs.get(key),
    delete: (key) => void blobs.delete(key),
  };
  const clients: ChatClient[] = [];
  const app = (options: { outbox?: OutboxStorage } = {}) => {
    const { token } = alice;
    const client = new ChatClient({ url: front.url, token, socket: fastRetry, files, ...options });
    clients.push(client);
    return client;
  };
  const file = { blob: new Blob(["a large video"]), name: "video.mp4" };
  try {
    await t.step("written offline: never sent, its bytes dropped, the next goes", async () => {
      const before = await uploads();
      const a = app();
      const regret = a.send(chatId, "regret", { files: [file] });
      const keep = a.send(chatId, "keep");
      const [{ clientMsgId }] = a.outbox;
      assert.equal(blobs.size, 1);
      assert.equal(a.cancel(clientMsgId), true);
      await assert.rejects(regret, isAbort);
      assert.deepEqual(a.outbox.map((e) => e.content), ["keep"]);
      await until("its bytes are dropped", () => blobs.size === 0);
      assert.equal(a.cancel(clientMsgId), false, "not in the outbox any more");
      a.connect();
      const kept = await within(keep, "the next message");
      assert.equal((await newest()).content, "keep");
      assert.equal(await uploads(), before, "nothing uploaded");
      assert.equal(a.cancel(kept.clientMsgId!), false, "stored: not taken back");
    });

    await t.step("while its file goes up: the upload stops", async () => {
      const a = app().connect();
      const regret = a.send(chatId, "regret", { files: [file] });
      const after = a.send(chatId, "after");
      await until("the upload is held at the front", () => held === 1);
      assert.equal(cut, false);
      assert.equal(a.cancel(a.outbox[0].clientMsgId), true);
      await assert.rejects(regret, isAbort);
      await until("the client cut its upload", () => cut);
      release();
      assert.equal((await within(after, "the next message")).content, "after");
      assert.equal((await newest()).content, "after");
    });

    await t.step("tried by an earlier run: not taken back, and sent", async () => {
      const maybeStored: OutboxEntry = {
        clientMsgId: crypto.randomUUID(),
        chatId,
        content: "maybe stored",
        createdAt: new Date().toISOString(),
        tried: true,
      };
      let kept = [maybeStored];
      const a = app({
        outbox: { load: () => kept, save: (entries) => void (kept = [...entries]) },
      });
      assert.equal(a.cancel(maybeStored.clientMsgId), false);
      a.connect();
      await until("sent", async () => (await newest()).content === "maybe stored");
    });

    await t.step("kept as tried before the server is asked", async () => {
      // An async storage whose saves take 300 ms: when each landed, and what it held.
      const landed: { at: number; tried: boolean; count: number }[] = [];
      const outbox: OutboxStorage = {
        load: () => [],
        save: async (entries) => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          landed.push({
            at: Date.now(),
            tried: entries.some((e) => e.tried),
            count: entries.length,
          });
        },
      };
      const a = app({ outbox }).connect();
      await until("connected", () => a.connected);
      const message = await within(a.send(chatId, "after the save"), "the message");
      const triedAt = landed.find((save) => save.tried)?.at;
      assert.ok(triedAt !== undefined, "a save held it as tried");
      assert.ok(triedAt <= Date.parse(message.createdAt), "and landed before the server had it");
      await until("its removal is kept", () => landed.at(-1)?.count === 0);
    });
  } finally {
    for (const client of clients) client.close();
    release();
    await front.close();
    await server.close();
  }
});
