/**
 * Uploads never sent: the sweep leaves them for a day, then removes them, and
 * so too one claimed by a send that was refused; a sent one stays however old.
 * An upload is held to its declared size, and one cut short, like a copy whose
 * source went meanwhile, keeps nothing. Media is kept as declared. Real KV
 * store, real core, the clock passed in.
 */
import assert from "node:assert/strict";
import { UNCLAIMED_TTL_MS } from "../../src/core/files.ts";
import { Failpoint, setup } from "./_setup.ts";
import { readStream } from "../_helpers/bytes.ts";

Deno.test("files: uploads never sent are swept after a day, sent ones stay", async () => {
  const s = await setup();
  try {
    const { upload } = s;
    const [unsent, sent, refused] = [
      await upload("unsent.txt"),
      await upload("sent.txt"),
      await upload("refused.txt"),
    ];
    const send = s.sendFile;
    await send("with-file", sent.id);
    // Refused by the store, after the checks before it claimed the file.
    await s.core.blocks.block(s.bob, s.alice);
    await assert.rejects(send("blocked", refused.id), { name: "AccessError" });
    await s.core.blocks.unblock(s.bob, s.alice);
    await assert.rejects(send("other", refused.id), { name: "ConflictError" }, "it stays claimed");
    // A file and its bytes, read as the download route reads them.
    const download = async (userId: string, id: string) => {
      const { file, stream } = await s.core.files.open(userId, id);
      return { ...file, bytes: await readStream(await stream()) };
    };
    const later = (ms: number) => new Date(Date.now() + ms);
    assert.equal(await s.core.files.sweep(later(UNCLAIMED_TTL_MS - 60_000)), 0, "within the day");
    assert.equal((await download(s.alice, unsent.id)).size, 8);
    await assert.rejects(download(s.bob, refused.id), { name: "AccessError" });
    // One file a batch: the sweep goes on until none is left, the sent one looked at too.
    assert.equal(await s.core.files.sweep(later(UNCLAIMED_TTL_MS + 60_000), 1), 2);
    await assert.rejects(download(s.alice, unsent.id), { name: "AccessError" });
    await assert.rejects(download(s.alice, refused.id), { name: "AccessError" });
    assert.equal((await download(s.bob, sent.id)).size, 8, "the sent one stays");
  } finally {
    await s.close();
  }
});

Deno.test("files: an upload is held to its declared size; one cut short keeps nothing", async () => {
  const s = await setup(4, { maxFileBytes: 4_000_000 });
  try {
    const upload = (size: number, body: Uint8Array | ReadableStream<Uint8Array>) =>
      s.core.files.upload(s.alice, s.chatId, { name: "a.bin", type: "", size, body });
    const refused = (message: string) => ({ name: "ValidationError", message });
    await assert.rejects(upload(8, new Uint8Array(5)), refused("File is 5 bytes, not 8"));
    await assert.rejects(upload(8, new Uint8Array(9)), refused("File is longer than 8 bytes"));
    // The client goes away after more than one commit of the KV store's chunks.
    const goneAway = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(700_000));
        controller.error(new Error("connection reset"));
      },
    });
    await assert.rejects(upload(2_000_000, goneAway), refused("File upload was cut short"));
    // Nothing was kept: a day later the sweep finds nothing to remove.
    const later = new Date(Date.now() + UNCLAIMED_TTL_MS + 60_000);
    assert.equal(await s.core.files.sweep(later), 0);
    const pieces = () => ReadableStream.from([new Uint8Array([1]), new Uint8Array([2, 3])]);
    const { id, size } = await upload(3, pieces());
    const { stream } = await s.core.files.open(s.alice, id);
    assert.deepEqual([size, await readStream(await stream())], [3, new Uint8Array([1, 2, 3])]);
    // No size declared (a chunked upload): read whole first, within the limit.
    const undeclared = (body: ReadableStream<Uint8Array>) =>
      s.core.files.upload(s.alice, s.chatId, { name: "b.bin", type: "", body });
    const read = await undeclared(pieces());
    const opened = await s.core.files.open(s.alice, read.id);
    assert.deepEqual([read.size, await readStream(await opened.stream())], [
      3,
      new Uint8Array([1, 2, 3]),
    ]);
    const tooLarge = ReadableStream.from([new Uint8Array(3_000_000), new Uint8Array(1_000_001)]);
    await assert.rejects(undeclared(tooLarge), refused("File exceeds 4000000 bytes"));
    // Refused as it runs past the limit, not once it ends: this one never would.
    const endless = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(new Uint8Array(65_536)),
    });
    await assert.rejects(undeclared(endless), refused("File exceeds 4000000 bytes"));
    await assert.rejects(undeclared(ReadableStream.from([])), refused("File is empty"));
    const cutOff = new ReadableStream<Uint8Array>({ pull: (c) => c.error(new Error("reset")) });
    await assert.rejects(undeclared(cutOff), refused("File upload was cut short"));
    assert.equal(await s.core.files.sweep(later), 2, "the two stored, none of the refused");
  } finally {
    await s.close();
  }
});

Deno.test("files: a copy whose source is removed meanwhile is not found, and keeps nothing", async () => {
  const failpoint = new Failpoint("files", "put");
  const s = await setup(4, { failpoint, maxFileBytes: 4_000_000 });
  try {
    const size = 1_000_000;
    const body = new Uint8Array(size);
    const file = await s.core.files.upload(s.alice, s.chatId, {
      name: "a.bin",
      type: "",
      size,
      body,
    });
    // The forward has opened the file's stream; its message is deleted before the copy reads it.
    failpoint.arm(() => s.store.files.remove([file.id]));
    await assert.rejects(s.core.files.copy(s.alice, s.chatId, [file]), {
      name: "AccessError",
      message: "File of the forwarded message not found",
    });
    const later = new Date(Date.now() + UNCLAIMED_TTL_MS + 60_000);
    assert.equal(await s.core.files.sweep(later), 0, "no half copy left");
  } finally {
    await s.close();
  }
});

Deno.test("files: media is kept as declared, width and height only as a pair", async () => {
  const s = await setup();
  try {
    const upload = (media: Record<string, number | undefined>) =>
      s.core.files.upload(s.alice, s.chatId, {
        name: "a.png",
        type: "image/png",
        body: new Uint8Array(4),
        media,
      });
    const stored = async (media: Record<string, number | undefined>) => {
      const { id, ...file } = (await s.core.files.open(s.alice, (await upload(media)).id)).file;
      assert.ok(id);
      return file;
    };
    const base = { name: "a.png", type: "image/png", size: 4 };
    assert.deepEqual(await stored({ width: 3, height: 2, durationMs: 9 }), {
      ...base,
      width: 3,
      height: 2,
      durationMs: 9,
    });
    // A width without its height lays nothing out: neither is kept. Nor is a key set to undefined.
    const halves = await stored({ width: 3, height: undefined, durationMs: undefined });
    assert.deepEqual(Object.keys(halves).sort(), ["name", "size", "type"]);
    assert.deepEqual(await stored({ height: 2 }), base);
  } finally {
    await s.close();
  }
});

Deno.test("files: a retry that names other files claims them for nothing; the sweep takes them", async () => {
  // Two tabs sending one outbox entry each upload its files: the second send is a repeat.
  const s = await setup();
  try {
    const { upload } = s;
    const [first, second] = [await upload("first.txt"), await upload("second.txt")];
    const send = (file: string) => s.sendFile("from-two-tabs", file);
    const stored = await send(first.id);
    assert.equal((await send(second.id)).id, stored.id, "the repeat is the stored message");
    assert.equal((await s.store.files.get(second.id))?.claimedBy, "from-two-tabs");
    const readable = (id: string) => s.core.files.open(s.bob, id).then(() => true, () => false);
    assert.deepEqual([await readable(first.id), await readable(second.id)], [true, false]);
    const later = new Date(Date.now() + UNCLAIMED_TTL_MS + 60_000);
    assert.equal(await s.core.files.sweep(later), 1, "the file the message does not carry");
    assert.equal(await readable(first.id), true);
    assert.equal(await s.store.files.get(second.id), null);
  } finally {
    await s.close();
  }
});
