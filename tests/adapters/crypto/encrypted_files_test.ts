/**
 * Files sealed in segments: a range opens only the segments that hold it, a
 * segment changed, moved or dropped does not open, a large file leaves the
 * event loop turning, a stream opens a piece at a time, the layout is the one
 * documented, and files sealed in one piece by earlier versions still open,
 * whole and in ranges.
 */
import assert from "node:assert/strict";
import { setImmediate } from "node:timers";
import { openKvStore } from "../../../src/adapters/kv/mod.ts";
import { encryptedStore, Keyring } from "../../../src/adapters/crypto/mod.ts";
import { assertSameBytes, readStream } from "../../_helpers/bytes.ts";
import {
  file,
  HEADER,
  KEY,
  pattern,
  sealedByHand,
  sealedInOnePiece,
  SEGMENT,
  STORED_SEGMENT,
  UNOPENED,
} from "./_layout.ts";

Deno.test("files sealed in segments", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "enc-files-" });
  const raw = await openKvStore({ path: `${dir}/chat.kv` });
  const keyring = await Keyring.create({ currentId: "k1", keys: { k1: btoa(KEY) } });
  const sealed = encryptedStore(raw, keyring);
  // Replaces a file's stored bytes, as someone with the database file could.
  const tamper = async (id: string, change: (stored: Uint8Array) => Uint8Array) => {
    const [record, stored] = [await raw.files.get(id), await raw.files.read(id)];
    await raw.files.remove([id]);
    await raw.files.put(record!, change(stored!));
  };
  const five = file(4 * SEGMENT + 1000);
  const bytes = pattern(five.size);
  try {
    await t.step("five segments, each its own ciphertext, none of it in plain", async () => {
      await sealed.files.put(five, bytes);
      const stored = (await raw.files.read(five.id))!;
      assert.equal(stored.length, HEADER + 5 * (12 + 16) + five.size);
      assert.equal(new TextDecoder().decode(stored.subarray(0, 4)), "enc2");
      assert.notDeepEqual(stored.subarray(HEADER + 12, HEADER + 112), bytes.subarray(0, 100));
      assertSameBytes(await sealed.files.read(five.id), bytes);
    });

    await t.step("a range opens only the segments that hold it", async () => {
      // A byte of the last segment changed: ranges before it still open, it does not.
      await tamper(five.id, (stored) => {
        const copy = stored.slice();
        copy[HEADER + 4 * STORED_SEGMENT + 20] ^= 1;
        return copy;
      });
      const range = { start: SEGMENT - 5, end: 3 * SEGMENT + 5 };
      const read = await sealed.files.read(five.id, range);
      assertSameBytes(read, bytes.slice(range.start, range.end));
      await assert.rejects(
        sealed.files.read(five.id, { start: 4 * SEGMENT, end: five.size }),
        UNOPENED,
      );
      await assert.rejects(sealed.files.read(five.id), UNOPENED);
    });

    await t.step("segments swapped, or the last one dropped, do not open", async () => {
      const other = file(3 * SEGMENT);
      await sealed.files.put(other, pattern(other.size));
      const segment = (stored: Uint8Array, n: number) =>
        stored.subarray(HEADER + n * STORED_SEGMENT, HEADER + (n + 1) * STORED_SEGMENT);
      await tamper(other.id, (stored) => {
        const swapped = stored.slice();
        swapped.set(segment(stored, 2), HEADER + STORED_SEGMENT);
        swapped.set(segment(stored, 1), HEADER + 2 * STORED_SEGMENT);
        return swapped;
      });
      await assert.rejects(
        sealed.files.read(other.id, { start: SEGMENT, end: SEGMENT + 1 }),
        UNOPENED,
      );
      const cut = file(3 * SEGMENT);
      await sealed.files.put(cut, pattern(cut.size));
      await tamper(cut.id, (stored) => stored.slice(0, HEADER + 2 * STORED_SEGMENT));
      await assert.rejects(sealed.files.read(cut.id), UNOPENED);
      await assert.rejects(
        sealed.files.read(cut.id, { start: 2 * SEGMENT, end: 2 * SEGMENT + 1 }),
        UNOPENED,
      );
      // The header's length made shorter, to match: every segment names the true length.
      await tamper(cut.id, (stored) => {
        const copy = stored.slice();
        new DataView(copy.buffer).setBigUint64(HEADER - 8, BigInt(2 * SEGMENT));
        return copy;
      });
      await assert.rejects(sealed.files.read(cut.id, { start: 0, end: 1 }), UNOPENED);
    });

    await t.step("a stream opens segments as they come, and a removal cuts it off", async () => {
      const many = file(48 * SEGMENT + 5); // over 3 MiB, a dozen of the KV store's pieces
      const plain = pattern(many.size);
      await sealed.files.put(many, plain);
      const range = { start: SEGMENT + 3, end: 40 * SEGMENT };
      const part = await readStream(await sealed.files.stream(many.id, range));
      assertSameBytes(part, plain.slice(range.start, range.end));
      const reader = (await sealed.files.stream(many.id))!.getReader();
      const first = await reader.read();
      assert.ok(first.value!.length < SEGMENT * 8, `a piece, not the file: ${first.value!.length}`);
      assertSameBytes(first.value, plain.slice(0, first.value!.length));
      await sealed.files.remove([many.id]);
      await assert.rejects(
        (async () => {
          while (!(await reader.read()).done);
        })(),
        { message: `Cannot read file ${many.id}: it was removed` },
      );
    });

    await t.step("sealing and opening leave the event loop turning", async () => {
      // Turns of the event loop counted while `work` runs: a file sealed or opened in
      // one go would let none happen.
      const turnsDuring = async (work: Promise<unknown>) => {
        let [turns, done] = [0, false];
        const spin = () => done || (turns++, setImmediate(spin));
        const finished = work.finally(() => done = true);
        spin();
        await finished;
        return turns;
      };
      const big = pattern(48 * SEGMENT); // 3 MiB
      const sealing = readStream(
        ReadableStream.from([big]).pipeThrough(keyring.sealing("file:big", big.length)),
      );
      assert.ok(await turnsDuring(sealing) >= 10, "sealed a few segments per turn");
      const stored = (await sealing)!.slice(HEADER);
      const header = { keyId: "k1", length: big.length, size: HEADER };
      const opening = keyring.openSegments(header, stored, { first: 0, context: "file:big" });
      assert.ok(await turnsDuring(opening) >= 10, "opened a few segments per turn");
      assertSameBytes(await opening, big);
    });

    await t.step("an empty file is one empty segment", async () => {
      const empty = file(0);
      await sealed.files.put(empty, new Uint8Array(0));
      assert.equal((await raw.files.read(empty.id))!.length, HEADER + 12 + 16);
      assertSameBytes(await sealed.files.read(empty.id), new Uint8Array(0));
      assertSameBytes(await sealed.files.read(empty.id, { start: 0, end: 10 }), new Uint8Array(0));
    });

    await t.step("the layout is the documented one: a file built by hand opens", async () => {
      const manual = file(2 * SEGMENT + 7);
      const plain = pattern(manual.size);
      const name = await keyring.encrypt(manual.name, `file:${manual.id}`);
      await raw.files.put({ ...manual, name }, sealedByHand(plain, `file:${manual.id}`));
      assertSameBytes(await sealed.files.read(manual.id), plain);
      const range = { start: SEGMENT + 3, end: 2 * SEGMENT + 5 };
      assertSameBytes(
        await sealed.files.read(manual.id, range),
        plain.slice(range.start, range.end),
      );
    });

    await t.step("a file sealed in one piece by an earlier version still opens", async () => {
      const old = file(200_000);
      const plain = pattern(old.size);
      const name = await keyring.encrypt(old.name, `file:${old.id}`);
      await raw.files.put({ ...old, name }, sealedInOnePiece(plain, `file:${old.id}`));
      assertSameBytes(await sealed.files.read(old.id), plain);
      const range = { start: 70_000, end: 140_000 };
      assertSameBytes(await sealed.files.read(old.id, range), plain.slice(70_000, 140_000));
      const tail = await sealed.files.read(old.id, { start: 199_990, end: 300_000 });
      assertSameBytes(tail, plain.slice(199_990));
    });
  } finally {
    await raw.close();
    await Deno.remove(dir, { recursive: true });
  }
});
