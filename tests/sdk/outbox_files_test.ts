/**
 * Files written with a message into the SDK's outbox, against the real server:
 * a photo taken offline goes with its thumbnail once the client connects, in
 * its place among the messages; uploads the server rate-limits are tried
 * again, and none is made twice; one refused for good fails its message and
 * the next still goes, a thumbnail refused is left out; bytes kept on disk outlive the app (and are dropped
 * once the message is sent), bytes kept in memory do not, and the message
 * they belonged to fails.
 * @module
 */
import assert from "node:assert/strict";
import {
  ChatClient,
  type ChatClientError,
  type MessageView,
  type OutboxEntry,
  type OutboxFileStorage,
  type OutboxStorage,
  RestClient,
} from "../../src/sdk/mod.ts";
import { directChat, fastRetry, registerAll, scrape, until, within } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

/**
 * An outbox kept in a JSON file, and file bytes kept as files in a folder: an
 * app's disk, where bytes take `putMs` to be written.
 */
function onDisk(dir: string, putMs = 0): { outbox: OutboxStorage; files: OutboxFileStorage } {
  const path = `${dir}/outbox.json`;
  return {
    outbox: {
      load: async (): Promise<OutboxEntry[]> =>
        JSON.parse(await Deno.readTextFile(path).catch(() => "[]")),
      save: (entries) => Deno.writeTextFile(path, JSON.stringify(entries)),
    },
    files: {
      put: async (key, blob) => {
        await new Promise((resolve) => setTimeout(resolve, putMs));
        await Deno.writeFile(`${dir}/${key}`, await blob.bytes());
      },
      get: (key) => Deno.readFile(`${dir}/${key}`).then((b) => new Blob([b]), () => null),
      delete: (key) => Deno.remove(`${dir}/${key}`),
    },
  };
}

Deno.test("sdk: files sent through the outbox", async (t) => {
  const server = await startTestServer({ UPLOAD_LIMIT: "3", UPLOAD_WINDOW_MS: "1000" });
  const { url } = server;
  const [alice, bob] = await registerAll(url, "alice", "bob");
  const chatId = await directChat(url, alice, bob);
  const [aliceRest, bobRest] = [alice, bob].map((u) => new RestClient(url, u.token));
  const clients: ChatClient[] = [];
  const app = (options: { outbox?: OutboxStorage; files?: OutboxFileStorage } = {}) => {
    const client = new ChatClient({ url, token: alice.token, socket: fastRetry, ...options });
    clients.push(client);
    return client;
  };
  const bytesOf = async (id: string) => (await bobRest.downloadFile(id)).bytes();
  const newest = async (count: number) =>
    (await aliceRest.history(chatId, { limit: count })).messages.reverse();
  const uploads = async () => (await scrape(url))("chat_files_uploaded_total");
  const photo = new Blob([new Uint8Array([1, 2, 3, 4])], { type: "image/png" });
  const small = new Blob([new Uint8Array([5, 6])], { type: "image/webp" });
  try {
    await t.step("written offline: uploaded in its turn, with its thumbnail", async () => {
      const a = app();
      const sending = a.send(chatId, "a cat", {
        files: [{
          blob: photo,
          name: "cat.png",
          width: 800,
          height: 600,
          thumbnail: { blob: small },
        }],
      });
      const after = a.send(chatId, "after the cat");
      assert.deepEqual(a.outbox[0].files?.map((f) => [f.name, f.id]), [["cat.png", undefined]]);
      const progress: unknown[] = [];
      a.on("uploadProgress", (p) => void progress.push(p));
      const { clientMsgId, files: [{ key }] } = a.outbox[0] as Required<OutboxEntry>;
      a.connect();
      const message = await sending;
      assert.equal((await after).seq, message.seq + 1, "the next message waited for it");
      const [file] = message.attachments!;
      assert.deepEqual([file.name, file.type, file.size, file.width, file.height], [
        "cat.png",
        "image/png",
        4,
        800,
        600,
      ]);
      assert.deepEqual(await bytesOf(file.id), new Uint8Array([1, 2, 3, 4]));
      assert.deepEqual(await bytesOf(file.thumbnail!.id), new Uint8Array([5, 6]));
      assert.equal(a.outbox.length, 0);
      // Off a browser the upload tells its end only; the thumbnail is not told.
      assert.deepEqual(progress, [{ clientMsgId, key, sent: 4, total: 4 }]);
    });

    await t.step("rate-limited: tried again, no file uploaded twice", async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000)); // a fresh window of three
      const before = await uploads();
      const a = app().connect();
      const names = ["1.txt", "2.txt", "3.txt", "4.txt", "5.txt"];
      const files = names.map((name) => ({ blob: new Blob([name]), name }));
      const message = await within(a.send(chatId, "five", { files }), "five files");
      assert.deepEqual(message.attachments!.map((f) => f.name), names);
      assert.equal(await uploads(), before + 5);
    });

    await t.step("refused for good: the message fails, the next goes", async () => {
      const a = app().connect();
      const failed: string[] = [];
      a.on("failed", (entry, error) => void failed.push(`${entry.content}: ${error.code}`));
      const notAPicture = { blob: new Blob(["text"], { type: "text/plain" }) };
      const refused = a.send(chatId, "bad thumbnail", {
        files: [{ blob: photo, name: "cat.png", thumbnail: notAPicture }],
      });
      const next = a.send(chatId, "next");
      await assert.rejects(
        within(refused, "the refusal"),
        (e: ChatClientError) => e.code === "invalid_payload",
      );
      assert.equal((await within(next, "the next")).content, "next");
      assert.deepEqual(failed, ["bad thumbnail: invalid_payload"]);
    });

    await t.step("a thumbnail refused: the file goes without it", async () => {
      const a = app().connect();
      const empty = { blob: new Blob([], { type: "image/webp" }) }; // the server takes no empty file
      const message = await within(
        a.send(chatId, "no thumbnail", {
          files: [{ blob: photo, name: "c.png", thumbnail: empty }],
        }),
        "the message",
      );
      assert.equal(message.attachments?.[0].name, "c.png");
      assert.equal(message.attachments?.[0].thumbnail, undefined);
    });

    await t.step("kept on disk: sent by the app's next run, then dropped", async () => {
      const dir = await Deno.makeTempDir({ prefix: "sdk-files-" });
      // Online, the upload waits for the bytes to be on disk.
      const online = await app(onDisk(dir, 300)).connect().send(chatId, "now", {
        files: [{ blob: photo, name: "now.png" }],
      });
      assert.equal(online.attachments?.[0].name, "now.png");
      const listed = () => Array.fromAsync(Deno.readDir(dir));
      const outboxText = () => Deno.readTextFile(`${dir}/outbox.json`);
      const onlyOutbox = async () => {
        const left = await listed();
        return left.length === 1 && left[0].name === "outbox.json";
      };
      // The sent entry's bytes dropped and the outbox saved empty: a save of this app
      // landing later would overwrite the next app's entry, as two apps on one file do.
      const empty = async () => (await outboxText()) === "[]";
      await until("its bytes and entry dropped", async () => await onlyOutbox() && await empty());
      const killed = app(onDisk(dir));
      killed.send(chatId, "from yesterday", { files: [{ blob: photo, name: "y.png" }] })
        .catch(() => {});
      // Kept once both are written: its bytes, and the entry in the outbox.
      const inOutbox = async () => (await outboxText()).includes("from yesterday");
      await until("kept", async () => (await listed()).length === 2 && await inOutbox());
      killed.close();
      const next = app(onDisk(dir));
      const got: MessageView[] = [];
      next.on("sent", (m) => void got.push(m));
      next.connect();
      await until("sent", () => got.length === 1);
      assert.deepEqual(await bytesOf(got[0].attachments![0].id), new Uint8Array([1, 2, 3, 4]));
      await until("bytes dropped", onlyOutbox);
    });

    await t.step("kept in memory: lost with the app, the message fails", async () => {
      const dir = await Deno.makeTempDir({ prefix: "sdk-files-" });
      const { outbox } = onDisk(dir);
      const killed = app({ outbox }); // files in memory
      killed.send(chatId, "lost photo", { files: [{ blob: photo }] }).catch(() => {});
      const kept = async () => (await outbox.load()).map((e) => e.content);
      await until("kept", async () => (await kept()).includes("lost photo"));
      killed.close();
      const next = app({ outbox });
      const failed: string[] = [];
      next.on("failed", (entry, error) => void failed.push(`${entry.content}: ${error.code}`));
      next.connect();
      await until("failed", () => failed.length === 1);
      assert.deepEqual(failed, ["lost photo: not_found"]);
      assert.equal((await next.send(chatId, "still sending")).content, "still sending");
      const texts = (await newest(2)).map((m) => m.content);
      assert.deepEqual(texts, ["from yesterday", "still sending"]);
    });
  } finally {
    for (const client of clients) client.close();
    await server.close();
  }
});
