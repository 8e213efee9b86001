/**
 * An outbox storage that answers with promises (as React Native's AsyncStorage
 * and IndexedDB do), here over a real file, against the real server: messages
 * written offline are kept once saved and sent by the app's next run, in
 * order; what an earlier run left is neither overwritten while it is read nor
 * sent after newer messages; saves land in the order made; a failing storage is
 * reported and the messages still go out; a load that began before an entry
 * was answered does not bring it back.
 * @module
 */
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { ChatClient, type OutboxEntry, type OutboxStorage } from "../../src/sdk/mod.ts";
import { RestClient } from "../../src/sdk/mod.ts";
import { directChat, fastRetry, registerAll, until } from "../_helpers/client.ts";
import { freePort, startTestServer } from "../_helpers/server.ts";

/** A file-backed async storage; each load and save takes the next of its delays (ms). */
function fileOutbox(path: string, delays: { load?: number[]; save?: number[] } = {}) {
  const read = async (): Promise<OutboxEntry[]> =>
    JSON.parse(await Deno.readTextFile(path).catch(() => "[]"));
  const storage: OutboxStorage = {
    async load() {
      const entries = await read(); // read now, answered later: a slow storage
      await sleep(delays.load?.shift() ?? 0);
      return entries;
    },
    async save(entries) {
      await sleep(delays.save?.shift() ?? 0);
      // Written whole, then moved in place: a read never sees half a file.
      await Deno.writeTextFile(`${path}.new`, JSON.stringify(entries));
      await Deno.rename(`${path}.new`, path);
    },
  };
  const contents = async () => (await read()).map((e) => e.content);
  return { storage, contents };
}

Deno.test("sdk: an async outbox storage", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "sdk-outbox-" });
  const env = { DATA_DIR: dataDir, PORT: String(freePort()), API_REQUEST_LIMIT: "100000" };
  let server = await startTestServer(env);
  const [alice, bob] = await registerAll(server.url, "alice", "bob");
  const chatId = await directChat(server.url, alice, bob);
  const path = `${await Deno.makeTempDir({ prefix: "outbox-" })}/outbox.json`;
  const app = (storage: OutboxStorage) =>
    new ChatClient({ url: server.url, token: alice.token, outbox: storage, socket: fastRetry });
  const history = async () =>
    (await new RestClient(server.url, alice.token).history(chatId, { limit: 100 })).messages
      .map((m) => m.content).reverse();
  const ignore = () => {};
  // An earlier run of the app: it wrote `text` offline, and was killed once that was kept.
  const leftUnsent = async (text: string) => {
    const earlier = app(fileOutbox(path).storage);
    earlier.send(chatId, text).catch(ignore);
    await until("kept", async () => (await fileOutbox(path).contents()).includes(text));
    earlier.close();
  };
  // The chat holds `total` messages (none twice), the newest of them `texts`, in this order.
  const sentLast = async (total: number, texts: string[]) => {
    await until("sent", async () => (await history()).length === total);
    assert.deepEqual((await history()).slice(-texts.length), texts);
  };
  try {
    await t.step("written offline: kept once saved, sent in order by the next run", async () => {
      const { storage, contents } = fileOutbox(path, { save: [40, 40, 40] });
      const first = app(storage);
      for (const text of ["one", "two", "three"]) first.send(chatId, text).catch(ignore);
      await until("all three saved", async () => (await contents()).length === 3);
      assert.deepEqual(await contents(), ["one", "two", "three"]);
      first.close(); // the app is killed before it was ever online

      const next = app(fileOutbox(path).storage).connect();
      try {
        await until("sent", async () => (await history()).length === 3);
        assert.deepEqual(await history(), ["one", "two", "three"]);
        await until("outbox empty", async () => (await contents()).length === 0);
      } finally {
        next.close();
      }
    });

    await t.step("an earlier run's entries: not overwritten while read, sent first", async () => {
      await Deno.writeTextFile(path, "[]");
      await leftUnsent("from before");

      const { storage, contents } = fileOutbox(path, { load: [300] });
      const later = app(storage);
      later.send(chatId, "written at start").catch(ignore); // before the load answered
      await sleep(100);
      assert.deepEqual(await contents(), ["from before"], "not overwritten during the read");
      await until("both kept", async () => (await contents()).length === 2);
      assert.deepEqual(await contents(), ["from before", "written at start"]);
      assert.deepEqual(later.outbox.map((e) => e.content), ["from before", "written at start"]);
      later.connect();
      try {
        await sentLast(5, ["from before", "written at start"]);
      } finally {
        later.close();
      }
    });

    await t.step("connected while the storage is read: its entries still go first", async () => {
      await leftUnsent("older");
      const later = app(fileOutbox(path, { load: [300] }).storage).connect();
      await until("connected", () => later.connected);
      later.send(chatId, "newer").catch(ignore);
      try {
        await sentLast(7, ["older", "newer"]);
      } finally {
        later.close();
      }
    });

    await t.step("saves land in the order made", async () => {
      await Deno.writeTextFile(path, "[]");
      // The first save is slow, the next ones fast: run side by side, the first would land last.
      const { storage, contents } = fileOutbox(path, { save: [150, 0, 0] });
      const offline = app(storage);
      offline.send(chatId, "a").catch(ignore);
      offline.send(chatId, "b").catch(ignore);
      offline.send(chatId, "c").catch(ignore);
      await sleep(400);
      assert.deepEqual(await contents(), ["a", "b", "c"]);
      offline.close();
      await Deno.writeTextFile(path, "[]");
    });

    await t.step("a failing storage is reported, and the message still goes out", async () => {
      const errors: unknown[] = [];
      const failing: OutboxStorage = {
        load: () => Promise.resolve([]),
        save: () => Promise.reject(new Error("disk full")),
      };
      const client = app(failing).connect();
      client.on("outboxError", (e) => void errors.push(e));
      try {
        const sent = await client.send(chatId, "despite the disk");
        assert.equal(sent.content, "despite the disk");
        await until("reported", () => errors.length > 0);
        assert.match(String(errors[0]), /disk full/);
        const throwing = app({
          load: () => [],
          save: () => {
            throw new Error("quota");
          },
        });
        const reported: unknown[] = [];
        throwing.on("outboxError", (e) => void reported.push(e));
        const pending = throwing.send(chatId, "sync throw"); // does not throw here
        pending.catch(ignore);
        assert.match(String(reported[0]), /quota/);
        throwing.close();
      } finally {
        client.close();
      }
    });

    await t.step("a storage that holds no list is reported, and sending goes on", async () => {
      // As AsyncStorage answers for a key that holds the JSON "null".
      const garbled: OutboxStorage = { load: () => Promise.resolve(null as never), save: ignore };
      const errors: unknown[] = [];
      const client = app(garbled);
      client.on("outboxError", (e) => void errors.push(e));
      client.connect();
      try {
        const sent = await client.send(chatId, "after a garbled load");
        assert.equal(sent.content, "after a garbled load");
        assert.match(String(errors[0]), /Cannot load the outbox/);
      } finally {
        client.close();
      }
    });

    await t.step("a load begun before an entry was answered does not bring it back", async () => {
      await Deno.writeTextFile(path, "[]");
      const { storage } = fileOutbox(path);
      // What the storage held while the message waited for its ack.
      let held: OutboxEntry[] = [];
      const save = storage.save.bind(storage);
      storage.save = (entries) => (entries.length > 0 && (held = [...entries]), save(entries));
      const client = app(storage).connect();
      const sent: string[] = [];
      client.on("sent", (m) => void sent.push(m.content));
      try {
        await client.send(chatId, "once");
        // The next connect's load answers with that copy, as a read begun before the ack would.
        storage.load = () => Promise.resolve(held);
        await server.close();
        await until("dropped", () => !client.connected);
        server = await startTestServer(env);
        await until("reconnected", () => client.connected, 15_000);
        await sleep(300);
        assert.deepEqual(sent, ["once"], "told sent once");
        assert.equal(client.outbox.length, 0);
      } finally {
        client.close();
      }
    });
  } finally {
    await server.close();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
