/**
 * `backupKvFile` on real KV files: the copy opens as a KV store with every
 * entry, and it refuses to overwrite a file or to copy one that is no database.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { backupKvFile } from "../../../src/adapters/kv/backup.ts";

Deno.test("kv backup: a copy of every entry, and nothing overwritten", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kv-backup-" });
  const source = join(dir, "chat.kv");
  const kv = await Deno.openKv(source);
  try {
    for (let i = 0; i < 100; i++) await kv.set(["entry", i], { i });
    // Taken while the source is open, as a running server holds it.
    const done = await backupKvFile(source, join(dir, "copy.kv"));
    assert.ok(done.entries >= 100 && done.bytes > 0);
    const copy = await Deno.openKv(join(dir, "copy.kv"));
    const entries = await Array.fromAsync(copy.list<{ i: number }>({ prefix: ["entry"] }));
    copy.close();
    assert.deepEqual(entries.map((e) => e.value.i), Array.from({ length: 100 }, (_, i) => i));

    await Deno.writeTextFile(join(dir, "taken.kv"), "an earlier backup");
    await assert.rejects(backupKvFile(source, join(dir, "taken.kv")), /exists/);
    assert.equal(await Deno.readTextFile(join(dir, "taken.kv")), "an earlier backup");
    await Deno.writeTextFile(join(dir, "notes.txt"), "no database ".repeat(100));
    await assert.rejects(backupKvFile(join(dir, "notes.txt"), join(dir, "out.kv")));
  } finally {
    kv.close();
    await Deno.remove(dir, { recursive: true });
  }
});
