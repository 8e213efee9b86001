/**
 * Files sealed as they stream in: a stream in pieces that fit no segment edge
 * is sealed in the documented layout (opened here by hand), and a stream that
 * ends shorter or runs longer than the file's size fails the put and keeps
 * nothing, since every segment authenticates that size.
 */
import assert from "node:assert/strict";
import { openKvStore } from "../../../src/adapters/kv/mod.ts";
import { encryptedStore, Keyring } from "../../../src/adapters/crypto/mod.ts";
import { assertSameBytes } from "../../_helpers/bytes.ts";
import { file, HEADER, KEY, openedByHand, pattern, SEGMENT } from "./_layout.ts";

// The bytes in pieces of `sizes`, the last one taking the rest.
function inPieces(bytes: Uint8Array, sizes: number[]): ReadableStream<Uint8Array> {
  const ends = [...sizes.map((_, i) => sizes.slice(0, i + 1).reduce((a, b) => a + b)), Infinity];
  return ReadableStream.from(ends.map((end, i) => bytes.slice(ends[i - 1] ?? 0, end)));
}

Deno.test("files sealed as they stream in", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "sealing-" });
  const raw = await openKvStore({ path: `${dir}/chat.kv` });
  const keyring = await Keyring.create({ currentId: "k1", keys: { k1: btoa(KEY) } });
  const sealed = encryptedStore(raw, keyring);
  try {
    await t.step("in pieces of any size, the documented layout", async () => {
      for (const size of [0, 1, SEGMENT, 3 * SEGMENT + 5]) {
        const one = file(size);
        const plain = pattern(size);
        await sealed.files.put(one, inPieces(plain, [1, SEGMENT - 2, 7, SEGMENT + 100]));
        const stored = (await raw.files.read(one.id))!;
        const segments = Math.max(1, Math.ceil(size / SEGMENT));
        assert.equal(stored.length, HEADER + segments * (12 + 16) + size, `${size} bytes`);
        assertSameBytes(openedByHand(stored, `file:${one.id}`), plain, `${size} bytes`);
        assertSameBytes(await sealed.files.read(one.id), plain, `${size} bytes`);
      }
    });

    await t.step("a stream shorter or longer than the file's size keeps nothing", async () => {
      for (const [size, actual] of [[3 * SEGMENT, 2 * SEGMENT + 9], [SEGMENT, SEGMENT + 1]]) {
        const wrong = file(size);
        await assert.rejects(
          sealed.files.put(wrong, inPieces(pattern(actual), [SEGMENT / 2])),
          { message: /^Cannot encrypt file: it is/ },
        );
        assert.equal(await raw.files.get(wrong.id), null);
        assert.equal(await raw.files.read(wrong.id), null);
      }
    });
  } finally {
    await raw.close();
    await Deno.remove(dir, { recursive: true });
  }
});
