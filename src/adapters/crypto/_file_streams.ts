/**
 * Sealing and opening files as streams (the layout is in `_sealed_file.ts`),
 * so that an upload is sealed as it arrives and a download opened as it is
 * read: a file passes through memory a segment at a time, never whole.
 * @module
 */
import { aad, concat, headerOf, IV_BYTES, SEGMENT_BYTES, STORED_SEGMENT } from "./_sealed_file.ts";

type Bytes = Uint8Array<ArrayBuffer>;
type Controller = TransformStreamDefaultController<Bytes>;

/**
 * Seals a stream of `length` bytes under `key` (named `id`): the header, then
 * each 64 KiB segment once it has arrived. It errors at the end when the
 * stream was shorter or longer than `length`, which every segment authenticates.
 */
export function sealingStream(
  key: { id: string; key: CryptoKey },
  options: { context: string; length: number },
): TransformStream<Uint8Array, Bytes> {
  const { context, length } = options;
  // Pieces fill one segment buffer, used again for each segment: encrypt copies its input.
  const segment = new Uint8Array(SEGMENT_BYTES);
  let [filled, next, seen] = [0, 0, 0];
  const seal = async (plain: Uint8Array, controller: Controller) => {
    // A fresh random 96-bit IV per segment, as GCM requires.
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const additionalData = aad(context, next++, length);
    // Ciphertext and tag, in the order the layout keeps them.
    const sealed = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData },
      key.key,
      plain as Bytes,
    );
    controller.enqueue(iv);
    controller.enqueue(new Uint8Array(sealed));
  };
  return new TransformStream({
    start: (controller) => controller.enqueue(headerOf(key.id, length)),
    async transform(piece, controller) {
      seen += piece.length;
      for (let at = 0; at < piece.length;) {
        // A whole segment inside the piece is sealed where it is, without a copy.
        if (filled === 0 && piece.length - at >= SEGMENT_BYTES) {
          await seal(piece.subarray(at, at + SEGMENT_BYTES), controller);
          at += SEGMENT_BYTES;
          continue;
        }
        const take = Math.min(SEGMENT_BYTES - filled, piece.length - at);
        segment.set(piece.subarray(at, at + take), filled);
        [filled, at] = [filled + take, at + take];
        if (filled === SEGMENT_BYTES) {
          await seal(segment, controller);
          filled = 0;
        }
      }
    },
    async flush(controller) {
      if (seen !== length) {
        throw new Error(`Cannot encrypt file: it is ${seen} bytes, not ${length}`);
      }
      // The last segment, shorter than the others; an empty file has one, empty.
      if (filled || next === 0) await seal(segment.subarray(0, filled), controller);
    },
  });
}

/**
 * Opens a stream of stored segments, the first numbered `first`, as they come:
 * `open` opens the whole segments that have arrived, and of their plaintext
 * the stream passes on `length` bytes after the first `skip`. It errors when a
 * segment does not open or the stored bytes end before those.
 */
export function openingStream(
  open: (stored: Bytes, first: number) => Promise<Bytes>,
  options: { first: number; skip: number; length: number },
): TransformStream<Bytes, Bytes> {
  let { first: next, skip, length: left } = options;
  let pending = new Uint8Array(0);
  const pass = async (stored: Bytes, controller: Controller) => {
    const plain = await open(stored, next);
    next += Math.ceil(stored.length / STORED_SEGMENT);
    const from = Math.min(skip, plain.length);
    const part = plain.subarray(from, from + left);
    [skip, left] = [skip - from, left - part.length];
    if (part.length) controller.enqueue(part);
  };
  return new TransformStream({
    async transform(chunk, controller) {
      if (pending.length) chunk = await concat([pending, chunk]);
      // Whole segments now; a part of one waits for the rest of it.
      const whole = chunk.length - (chunk.length % STORED_SEGMENT);
      pending = chunk.subarray(whole);
      if (whole) await pass(chunk.subarray(0, whole), controller);
    },
    async flush(controller) {
      // The last segment, shorter than the others.
      if (pending.length) await pass(pending, controller);
      if (left > 0) throw new Error("Cannot decrypt file: it is cut short");
    },
  });
}
