/**
 * The store contract's file steps: bytes come back as stored, across the
 * store's chunking, whole or a range of them, read or streamed, and from a
 * stream (one that fails keeps nothing); a file is
 * claimed by one message only (retries of it included, even two claims at
 * once); removal is idempotent; the sweep takes
 * files no stored message carries (uploads a day old by upload time, claims a
 * day old by claim time whose message was never stored), leaves sent and recent
 * ones, asks about each claim once, goes in batches, and loses no race with a
 * retried send: a claim made again starts its day over.
 * @module
 */
import assert from "node:assert/strict";
import type { FileRecord, Store } from "../../src/core/ports.ts";
import { now } from "./_store_fixtures.ts";
import { assertSameBytes, readStream } from "../_helpers/bytes.ts";

// Over a megabyte: several of the KV store's 60 KiB chunks and several commits of them.
const LARGE = 1_100_000;

/** Runs the file steps on ids of their own. */
export async function fileSteps(t: Deno.TestContext, store: Store): Promise<void> {
  const file = (size: number, createdAt = now()): FileRecord => ({
    id: `file-${crypto.randomUUID()}`,
    chatId: "chat-1",
    uploaderId: "u1",
    name: "photo.jpg",
    type: "image/jpeg",
    size,
    createdAt,
  });
  const bytes = (size: number) => {
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i += 65_536) crypto.getRandomValues(out.subarray(i, i + 65_536));
    return out;
  };
  const [small, large] = [file(1), file(LARGE)];
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

  await t.step("files: the sweep takes old files no stored message carries", async () => {
    const [old, recent, sent, refused] = [
      file(70_000, "2000-01-01T00:00:00.000Z"),
      file(5),
      file(5, "2000-01-01T00:00:01.000Z"),
      file(5, "2000-01-01T00:00:02.000Z"),
    ];
    for (const f of [old, recent, sent, refused]) await store.files.put(f, bytes(f.size));
    await store.files.claim([sent.id], "msg-5");
    await store.files.claim([refused.id], "msg-6");
    await store.files.remove([small.id]); // claimed earlier, and never sent
    const asked: string[] = [];
    // Only msg-5 was stored: msg-6's send was refused after its claim.
    const isSent = (f: FileRecord) => {
      asked.push(`${f.id} ${f.claimedBy} ${f.name}`);
      return Promise.resolve(f.claimedBy === "msg-5");
    };
    // Uploads count from their upload, claims from the claim (a moment ago).
    const sweep = (before: string) => store.files.sweep(before, 100, isSent);
    assert.deepEqual(await sweep("2001-01-01T00:00:00.000Z"), { removed: 1, more: false });
    assert.equal(await store.files.get(old.id), null);
    assert.equal(await store.files.read(old.id), null);
    assert.deepEqual(asked, [], "a claim a moment old is not asked about");
    assert.equal((await store.files.get(refused.id))?.claimedBy, "msg-6", "it may still be sent");

    const later = new Date(Date.now() + 60_000).toISOString();
    assert.deepEqual(await sweep(later), { removed: 2, more: false }, "the refused and the unsent");
    assert.deepEqual(
      asked.sort(),
      [
        `${sent.id} msg-5 photo.jpg`,
        `${refused.id} msg-6 photo.jpg`,
      ].sort(),
      "each claim once, as stored",
    );
    assert.equal(await store.files.get(refused.id), null, "its message was never stored");
    assert.equal(await store.files.get(recent.id), null);
    assert.equal((await store.files.get(sent.id))?.claimedBy, "msg-5");
    assert.equal((await store.files.read(sent.id))?.length, 5, "its bytes stay");
    assert.deepEqual(await sweep(later), { removed: 0, more: false }, "nothing left");
    assert.equal(asked.length, 2, "a file seen sent is not asked about again");
    await store.files.remove([sent.id]);
  });

  await t.step(
    "files: the sweep goes in batches of its limit and says when one was full",
    async () => {
      const old = [1, 2, 3].map((s) => file(5, `2000-01-01T00:00:0${s}.000Z`));
      for (const f of old) await store.files.put(f, bytes(5));
      const never = () => Promise.resolve(false);
      const cutOff = "2001-01-01T00:00:00.000Z";
      assert.deepEqual(await store.files.sweep(cutOff, 2, never), { removed: 2, more: true });
      assert.deepEqual(await store.files.sweep(cutOff, 2, never), { removed: 1, more: false });
      assert.equal(await store.files.get(old[2].id), null);
    },
  );

  await t.step(
    "files: a send retried while the sweep looks at its day-old claim keeps it",
    async () => {
      const retried = file(5, "2000-01-01T00:00:00.000Z");
      await store.files.put(retried, bytes(5));
      await store.files.claim([retried.id], "msg-7");
      await new Promise((resolve) => setTimeout(resolve, 5));
      const cutOff = new Date().toISOString(); // the claim is older than this: a day old
      await new Promise((resolve) => setTimeout(resolve, 5));
      let asked = 0;
      // The message is not stored yet when the sweep asks; its send is retried right then.
      const retrying = async () => {
        asked++;
        assert.ok(await store.files.claim([retried.id], "msg-7"), "the retry claims it again");
        return false;
      };
      assert.deepEqual(await store.files.sweep(cutOff, 100, retrying), { removed: 0, more: false });
      assert.equal(asked, 1);
      assert.equal(
        (await store.files.get(retried.id))?.claimedBy,
        "msg-7",
        "the retry's claim won",
      );
      assert.equal((await store.files.read(retried.id))?.length, 5);
      const never = () => Promise.resolve(false);
      assert.deepEqual(
        await store.files.sweep(cutOff, 100, never),
        { removed: 0, more: false },
        "its claim's day starts over",
      );
      const later = new Date(Date.now() + 60_000).toISOString();
      assert.deepEqual(await store.files.sweep(later, 100, never), { removed: 1, more: false });
    },
  );
}
