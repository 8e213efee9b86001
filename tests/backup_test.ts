/**
 * `deno task backup` against a real server under load: the backup, taken while
 * messages are being sent, holds every message acknowledged before it began, in
 * seq order with no gap, and a server started on the backup folder serves them
 * (decrypted: the kept message key went with it) to the tokens of before. Also
 * through `chat-server backup`, and the refusals that write nothing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { api, directChat, history, registerAll } from "./_helpers/client.ts";
import { freePort, spawnServer } from "./_helpers/server.ts";

const BACKUP = new URL("../src/backup.ts", import.meta.url).pathname;
const MAIN = new URL("../src/main.ts", import.meta.url).pathname;

/** Runs a backup command (the task's script, or `main.ts backup`) with these arguments. */
async function run(script: string, args: string[], env: Record<string, string>) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", script, ...args],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
  return { code, out: text(stdout), err: text(stderr) };
}

Deno.test("backup: a copy taken under load holds every acknowledged message", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "backup-" });
  const dataDir = join(root, "data");
  const folder = join(root, "backup");
  let server = await spawnServer({ DATA_DIR: dataDir, RATE_LIMIT_MESSAGES: "100000" });
  const [alice, bob] = await registerAll(server.url, "alice", "bob");
  const chatId = await directChat(server.url, alice, bob);
  const acked: string[] = [];
  let sending = true;
  const send = async (url: string, n: number) => {
    const res = await api(url, "POST", `/api/chats/${chatId}/messages`, {
      token: alice.token,
      body: { content: `message ${n}`, clientMsgId: `m${n}` },
    });
    if (res.status !== 201) throw new Error(`Cannot send: ${JSON.stringify(res.body)}`);
    acked.push(res.body.message.id);
  };

  try {
    await t.step("the backup runs while messages are sent", async () => {
      for (let n = 0; n < 50; n++) await send(server.url, n);
      // Four senders keep the store busy throughout the backup.
      const writers = Array.from({ length: 4 }, async (_, w) => {
        for (let n = 1000 * (w + 1); sending; n++) await send(server.url, n);
      });
      const before = [...acked];
      const backup = await run(BACKUP, [folder], { DATA_DIR: dataDir });
      const after = acked.length;
      sending = false;
      await Promise.all(writers);
      assert.equal(backup.code, 0, backup.err);
      assert.match(backup.out, /^backup: ok \(.*: \d+ entries, [\d.]+ MB, \d+ ms\)$/);
      assert.ok(after > before.length, "messages were acknowledged during the backup");
      await server.kill();

      server = await spawnServer({ DATA_DIR: folder, PORT: String(freePort()) });
      const restored = await history(server.url, bob.token, chatId);
      const ids = new Set(restored.map((m) => m.id));
      assert.ok(before.every((id) => ids.has(id)), "every message acknowledged before it");
      assert.deepEqual(
        restored.map((m) => m.seq),
        Array.from({ length: restored.length }, (_, i) => i + 1),
        "in seq order, with no gap",
      );
      assert.equal(restored[0].content, "message 0", "readable: the message key went with it");
      await send(server.url, 99_999);
      assert.equal((await history(server.url, bob.token, chatId)).length, restored.length + 1);
    });

    await t.step("chat-server backup does the same", async () => {
      const second = join(root, "second");
      const res = await run(MAIN, ["backup", second], { DATA_DIR: folder });
      assert.equal(res.code, 0, res.err);
      assert.ok((await Deno.stat(join(second, "message_key"))).isFile);
    });

    await t.step("refusals say why and write nothing", async () => {
      const again = await run(BACKUP, [folder], { DATA_DIR: dataDir });
      assert.equal(again.code, 1);
      assert.match(again.err, /must not exist/);
      const empty = join(root, "empty");
      const none = await run(BACKUP, [join(root, "third")], { DATA_DIR: empty });
      assert.equal(none.code, 1);
      assert.match(none.err, /no store at/);
      const mongo = await run(BACKUP, [join(root, "third")], {
        DATA_DIR: dataDir,
        MONGODB_URL: "mongodb://127.0.0.1:1/chat",
      });
      assert.match(mongo.err, /MongoDB/);
      for (const name of ["empty", "third"]) {
        assert.equal(await Deno.stat(join(root, name)).then(() => true, () => false), false);
      }
      const usage = await run(BACKUP, [], { DATA_DIR: dataDir });
      assert.equal(usage.code, 2);
    });
  } finally {
    sending = false;
    await server.kill();
    await Deno.remove(root, { recursive: true });
  }
});
