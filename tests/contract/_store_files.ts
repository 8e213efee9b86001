/**
 * The store contract's file steps: bytes and record (its media fields too) come
 * back as stored, across the store's chunking, whole or a range of them, read
 * or streamed, and from a stream (one that fails keeps nothing); a file is
 * claimed by one message only (retries of it included, even two claims at
 * once); removal is idempotent. The sweep's steps are in `_store_file_sweep.ts`.
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../src/core/ports.ts";
import { fileRecord as file, randomBytes as bytes } from "./_store_fixtures.ts";
import { fileSweepSteps } from "./_store_file_sweep.ts";
import { assertSameBytes, readStream } from "../_helpers/bytes.ts";

// Over a megabyte: several of the KV store's 60 KiB chunks and several commits of them.
const LARGE = 1_100_000;

/** Runs the file steps on ids of their own. */
export async function fileSteps(t: Deno.TestContext, store: Store): Promise<void> {
  // One with what an uploader declares of its media, which every read gives back.
  const thumbnail = { id: "thumb-1", type: "image/webp", size: 900, width: 64, height: 48 };
  const media = { width: 640, height: 480, durationMs: 1500, thumbnail };
  const [small, large] = [{ ...file(1), ...media }, file(LARGE)];
  const [smallBytes, largeBytes] = [bytes(1), bytes(LARGE)];

  await t.step("files: bytes and record come back as stored", async () => {
    await store.files.put(small, smallBytes);
    await store.files.put(large, largeBytes);
    assert.deepEqual(await store.files.get(small.id), small);
    assert.deepEqual(await store.files.read(small.id), smallBytes);
    assert.deepEqual(await store.files.read(large.id), largeBytes);
    assert.equal(await store.files.get("no-such-file"), null);
    assert.equal(await store.files.read("no-such-file"), null);
  });

  await t.step("files: a range reads its bytes, across chunks and segments", async () => {
    const ranges: [number, number][] = [
      [0, 1],
      [0, LARGE], // all of it
      [61_439, 61_441], // across the KV store's 60 KiB chunks
      [65_535, 65_537], // across the cipher's 64 KiB segments
      [100_000, 400_000], // several of each
      [LARGE - 10, LARGE],
      [LARGE - 10, LARGE + 100], // stops at the end
      [LARGE + 5, LARGE + 10], // past the end: nothing
    ];
    for (const [start, end] of ranges) {
      const read = await store.files.read(large.id, { start, end });
      assertSameBytes(read, largeBytes.slice(start, end), `${start}-${end}`);
    }
    assert.deepEqual(await store.files.read(small.id, { start: 0, end: 1 }), smallBytes);
    assert.equal(await store.files.read("no-such-file", { start: 0, end: 1 }), null);
  });

  await t.step("files: a stream gives what a read gives, whole or a range", async () => {
    const streamed = async (range?: { start: number; end: number }) =>
      await readStream(await store.files.stream(large.id, range));
    assertSameBytes(await streamed(), largeBytes, "whole");
    for (const [start, end] of [[0, 1], [61_439, 400_000], [LARGE - 10, LARGE + 100]]) {
      assertSameBytes(await streamed({ start, end }), largeBytes.slice(start, end), `${start}`);
    }
    assertSameBytes(await streamed({ start: LARGE + 5, end: LARGE + 10 }), new Uint8Array(0));
    assert.equal(await store.files.stream("no-such-file"), null);
  });

  await t.step("files: a put takes a stream; one that fails keeps nothing", async () => {
    // Pieces that fit no chunk or segment edge.
    const pieces = [1, 99_999, 300_000, LARGE - 400_000];
    let at = 0;
    const streamed = file(LARGE);
    const source = ReadableStream.from(pieces.map((n) => largeBytes.slice(at, at += n)));
    await store.files.put(streamed, source);
    assertSameBytes(await store.files.read(streamed.id), largeBytes);
    // The client goes away after 900 KB: more than one commit of the KV store's chunks.
    const cut = file(LARGE);
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(largeBytes.slice(0, 900_000));
        controller.error(new Error("the client went away"));
      },
    });
    await assert.rejects(store.files.put(cut, failing), { message: "the client went away" });
    assert.equal(await store.files.get(cut.id), null);
    assert.equal(await store.files.read(cut.id), null);
    await store.files.remove([streamed.id]);
  });

  await t.step("files: one message claims a file, and again on a retry", async () => {
    const claimed = await store.files.claim([large.id, small.id], "msg-1");
    assert.deepEqual(claimed, [{ ...large, claimedBy: "msg-1" }, { ...small, claimedBy: "msg-1" }]);
    assert.deepEqual(await store.files.claim([small.id], "msg-1"), [
      { ...small, claimedBy: "msg-1" },
    ]);
    assert.equal((await store.files.get(small.id))?.claimedBy, "msg-1");
    const free = file(10);
    await store.files.put(free, bytes(10));
    assert.equal(await store.files.claim([free.id, small.id], "msg-2"), null, "small is taken");
    assert.equal(await store.files.claim([free.id, "no-such-file"], "msg-2"), null);
    assert.equal((await store.files.get(free.id))?.claimedBy, undefined, "none when one fails");
    const racing = await Promise.all(
      ["msg-3", "msg-4"].map((m) => store.files.claim([free.id], m)),
    );
    assert.equal(racing.filter((r) => r !== null).length, 1, "one of two claims at once");
    await store.files.remove([free.id]);
  });

  await t.step("files: removal takes record and bytes, and is idempotent", async () => {
    await store.files.remove([large.id]);
    await store.files.remove([large.id, "no-such-file"]);
    assert.equal(await store.files.get(large.id), null);
    assert.equal(await store.files.read(large.id), null);
    assert.deepEqual(await store.files.read(small.id), smallBytes, "others stay");
  });

  // Claimed above and never sent: the sweep's steps count exactly what they put.
  await store.files.remove([small.id]);
  await fileSweepSteps(t, store);
}
