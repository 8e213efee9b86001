/**
 * How a file is sealed at rest (`enc2`): in segments of 64 KiB, each its own
 * AES-256-GCM ciphertext, so that a range (a video player seeking, a download
 * resumed) is read and opened without the rest of the file.
 *
 * The layout: `enc2`, the key id's length (one byte) and the key id, the
 * plaintext's length (eight bytes, big-endian); then per segment its IV (12
 * bytes), its ciphertext and its tag (16 bytes). Every segment but the last
 * holds 64 KiB; an empty file has one empty segment. Segment `i` authenticates
 * `<context>#<i>/<length>` with it: a segment moved to another place or another
 * file, or a file cut short or made longer, fails to open.
 * @module
 */
import { Buffer } from "node:buffer";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { setImmediate } from "node:timers";
import type { ByteRange } from "../../core/ports.ts";

const MAGIC = "enc2";
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Plaintext bytes per segment. */
export const SEGMENT_BYTES = 64 * 1024;
const STORED_SEGMENT = IV_BYTES + SEGMENT_BYTES + TAG_BYTES;
// Segments sealed or opened between two turns of the event loop. AES-GCM here runs
// at about 120 MB/s on the main thread: a 15 MiB file in one go held every socket of
// the node for 130 ms; four segments at a time hold them for about 2 ms.
const SEGMENTS_PER_TURN = 4;
/** The most bytes a header takes: reading this many from the start finds it. */
export const MAX_HEADER_BYTES = MAGIC.length + 1 + 255 + 8;

/** What a sealed file's header says. */
export interface SealedHeader {
  keyId: string;
  /** The plaintext's length. */
  length: number;
  /** The header's own length: where the first segment starts. */
  size: number;
}

/** Seals `bytes` under `key` (named `keyId`) in the `enc2` layout. */
export async function sealFile(
  key: { id: string; bytes: Uint8Array },
  bytes: Uint8Array,
  context: string,
): Promise<Uint8Array> {
  const keyId = Buffer.from(key.id);
  const length = Buffer.alloc(8);
  length.writeBigUInt64BE(BigInt(bytes.length));
  const parts: Uint8Array[] = [Buffer.from(MAGIC), Buffer.of(keyId.length), keyId, length];
  const count = Math.max(1, Math.ceil(bytes.length / SEGMENT_BYTES));
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % SEGMENTS_PER_TURN === 0) await nextTurn();
    // A fresh random 96-bit IV per segment, as GCM requires.
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", key.bytes, iv);
    cipher.setAAD(Buffer.from(aad(context, i, bytes.length)));
    const plain = bytes.subarray(i * SEGMENT_BYTES, (i + 1) * SEGMENT_BYTES);
    parts.push(iv, cipher.update(plain), cipher.final(), cipher.getAuthTag());
  }
  return Buffer.concat(parts);
}

/** The header at the start of `head`; null when it is not an `enc2` file. */
export function readHeader(head: Uint8Array): SealedHeader | null {
  const data = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (data.length < MAGIC.length + 1 || data.toString("latin1", 0, 4) !== MAGIC) return null;
  const idEnd = MAGIC.length + 1 + data[MAGIC.length];
  if (data.length < idEnd + 8) throw new Error("Cannot decrypt file: its header is cut short");
  return {
    keyId: data.toString("utf8", MAGIC.length + 1, idEnd),
    length: Number(data.readBigUInt64BE(idEnd)),
    size: idEnd + 8,
  };
}

/**
 * The stored bytes that hold the plaintext `range` of a file with `header`
 * (whole segments), and the number of the first of those segments.
 */
export function segmentsOf(header: SealedHeader, range: ByteRange): {
  stored: ByteRange;
  first: number;
} {
  const end = Math.min(range.end, header.length);
  const first = Math.floor(Math.min(range.start, end) / SEGMENT_BYTES);
  const last = Math.max(first + 1, Math.ceil(end / SEGMENT_BYTES));
  const start = header.size + first * STORED_SEGMENT;
  // The last segment may be shorter: the store stops at the file's end.
  return { stored: { start, end: header.size + last * STORED_SEGMENT }, first };
}

/**
 * Opens consecutive segments, `stored` beginning with segment `first`, and
 * returns their plaintext; throws when one does not open (wrong key, context,
 * place or length).
 */
export async function openSegments(
  key: Uint8Array,
  header: SealedHeader,
  stored: Uint8Array,
  options: { first: number; context: string },
): Promise<Uint8Array<ArrayBuffer>> {
  const data = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  const count = Math.ceil(data.length / STORED_SEGMENT);
  const from = options.first * SEGMENT_BYTES;
  const plain = new Uint8Array(Math.max(0, Math.min(header.length - from, count * SEGMENT_BYTES)));
  for (let n = 0; n < count; n++) {
    if (n > 0 && n % SEGMENTS_PER_TURN === 0) await nextTurn();
    const segment = data.subarray(n * STORED_SEGMENT, (n + 1) * STORED_SEGMENT);
    if (segment.length < IV_BYTES + TAG_BYTES) {
      throw new Error("Cannot decrypt file: a segment is cut short");
    }
    const decipher = createDecipheriv("aes-256-gcm", key, segment.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad(options.context, options.first + n, header.length)));
    decipher.setAuthTag(segment.subarray(segment.length - TAG_BYTES));
    const head = decipher.update(segment.subarray(IV_BYTES, segment.length - TAG_BYTES));
    const tail = decipher.final();
    if (n * SEGMENT_BYTES + head.length + tail.length > plain.length) {
      throw new Error("Cannot decrypt file: it is longer than its header says");
    }
    plain.set(head, n * SEGMENT_BYTES);
    plain.set(tail, n * SEGMENT_BYTES + head.length);
  }
  return plain;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function aad(context: string, segment: number, length: number): string {
  return `${context}#${segment}/${length}`;
}
