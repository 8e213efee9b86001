/**
 * The KV file store beyond the contract: a file of the largest size a server
 * may accept fits its commits, a range reads only its chunks, a stream reads
 * a piece as it is pulled, a put writes chunks as its stream comes (and one cut
 * off leaves none), what an upload or a removal cut short by a crash
 * leaves (written here as the crash leaves it) is taken by the sweep.
 */
import assert from "node:assert/strict";
import { openKvStore } from "../../../src/adapters/kv/mod.ts";
import type { FileRecord } from "../../../src/core/ports.ts";
import { assertSameBytes, readStream } from "../../_helpers/bytes.ts";
import { until } from "../../_helpers/client.ts";

const OLD = "2000-01-01T00:00:00.000Z";
// No message is stored here: nothing the sweep finds was sent.
const sent = () => Promise.resolve(false);

function file(size: number, createdAt = new Date().toISOString()): FileRecord {
  const id = crypto.randomUUID();
  return {
    id,
    chatId: "c",
    uploaderId: "u",
    name: "f.bin",
    type: "application/pdf",
    size,
    createdAt,
  };
}

Deno.test("kv files: the largest upload and what crashes leave behind", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "kv-files-" });
  const path = `${dir}/chat.kv`;
  const store = await openKvStore({ path });
  const kv = await Deno.openKv(path);
  const chunks = async (id: string) =>
    (await Array.fromAsync(kv.list({ prefix: ["file_chunks", id] }))).length;
  try {
    await t.step("15 MiB, the most MAX_FILE_BYTES allows, stores and reads back", async () => {
      const big = file(15 * 1024 * 1024);
      const bytes = new Uint8Array(big.size).map((_, i) => i % 251);
      await store.files.put(big, bytes);
      assert.deepEqual(await store.files.read(big.id), bytes);
      await store.files.remove([big.id]);
      assert.equal(await chunks(big.id), 0);
    });

    await t.step("a range needs only the chunks it touches", async () => {
      const four = file(4 * 61_440);
      const bytes = new Uint8Array(four.size).map((_, i) => i % 253);
      await store.files.put(four, bytes);
      // Chunk 3 lost: a range in chunks 0 to 2 never reads it; a range that needs it says so.
      await kv.delete(["file_chunks", four.id, 3]);
      const range = { start: 100, end: 3 * 61_440 };
      assertSameBytes(await store.files.read(four.id, range), bytes.slice(100, 3 * 61_440));
      assert.equal(
        await store.files.read(four.id, { start: 3 * 61_440 - 1, end: 3 * 61_440 + 1 }),
        null,
      );
      assert.equal(await store.files.read(four.id), null);
      await store.files.remove([four.id]);
    });

    await t.step("a stream reads a piece as it is pulled, and a removal cuts it off", async () => {
      // Twelve chunks, three pieces of four. When the first piece is taken the second
      // may be on its way; the third is read only after the removal.
      const twelve = file(12 * 61_440);
      const bytes = new Uint8Array(twelve.size).map((_, i) => i % 241);
      await store.files.put(twelve, bytes);
      assertSameBytes(await readStream(await store.files.stream(twelve.id)), bytes);
      const reader = (await store.files.stream(twelve.id))!.getReader();
      const first = await reader.read();
      assertSameBytes(first.value, bytes.slice(0, 4 * 61_440), "the first piece");
      await store.files.remove([twelve.id]);
      await assert.rejects(
        (async () => {
          while (!(await reader.read()).done);
        })(),
        { message: `Cannot read file ${twelve.id}: it was removed` },
      );
      assert.equal(await store.files.stream(twelve.id), null);
    });

    await t.step("a put writes chunks as its stream comes; one cut off leaves none", async () => {
      const slow = file(2_000_000);
      let [sent, release] = [0, (_: Error) => {}];
      const stopped = new Promise<Error>((resolve) => release = resolve);
      const source = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent >= 1_000_000) return controller.error(await stopped);
          controller.enqueue(new Uint8Array(100_000).fill(sent / 100_000));
          sent += 100_000;
        },
      });
      const putting = store.files.put(slow, source);
      // Chunks land while the stream is still open: the file is not gathered first.
      await until("chunks written", async () => await chunks(slow.id) >= 10);
      release(new Error("cut off"));
      await assert.rejects(putting, { message: "cut off" });
      assert.equal(await chunks(slow.id), 0);
      const left = await Array.fromAsync(kv.list({ prefix: ["files_unclaimed"] }));
      assert.deepEqual(left.filter(({ key }) => key[2] === slow.id), [], "no index entry");
      assert.equal((await kv.get(["files_dropped", slow.id])).versionstamp, null);
    });

    await t.step("an upload that died before its record is swept with its chunks", async () => {
      const dead = file(10, OLD);
      await kv.set(["files_unclaimed", OLD, dead.id], true);
      await kv.set(["file_chunks", dead.id, 0], new Uint8Array(10));
      assert.equal((await store.files.sweep("2001-01-01T00:00:00.000Z", 10, sent)).removed, 1);
      assert.equal(await chunks(dead.id), 0);
      assert.equal((await kv.get(["files_unclaimed", OLD, dead.id])).versionstamp, null);
    });

    await t.step(
      "a removal that died before the chunks went is finished by the sweep",
      async () => {
        const [half, other] = [file(10), file(10)];
        for (const f of [half, other]) {
          await kv.set(["files_dropped", f.id], true);
          await kv.set(["file_chunks", f.id, 0], new Uint8Array(10));
        }
        // One a batch: the first is full, so the sweep says more may wait.
        assert.deepEqual(await store.files.sweep(OLD, 1, sent), { removed: 1, more: true });
        assert.deepEqual(await store.files.sweep(OLD, 10, sent), { removed: 1, more: false });
        for (const f of [half, other]) {
          assert.equal(await chunks(f.id), 0);
          assert.equal((await kv.get(["files_dropped", f.id])).versionstamp, null);
        }
      },
    );
  } finally {
    kv.close();
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
