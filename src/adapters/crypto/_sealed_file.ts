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
 *
 * WebCrypto rather than node:crypto (which seals message text, where its lower
 * cost per call wins): Deno does much of its work off the main thread. Opening a
 * 15 MiB file took 60–90 ms of the main thread this way, against 140–180 ms
 * through node:crypto: time in which no socket of the node is served. Each
 * segment is an await, so the event loop turns between segments.
 * @module
 */
import { Buffer } from "node:buffer";
import type { ByteRange } from "../../core/ports.ts";

const MAGIC = "enc2";
/** Bytes of a segment's IV, before its ciphertext. */
export const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Plaintext bytes per segment. */
export const SEGMENT_BYTES = 64 * 1024;
/** Stored bytes per segment: IV, ciphertext, tag. */
export const STORED_SEGMENT = IV_BYTES + SEGMENT_BYTES + TAG_BYTES;
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

/** Imports a raw 32-byte key for sealing and opening files. */
export function importFileKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** The header of a file of `length` bytes sealed under the key named `keyId`. */
export function headerOf(keyId: string, length: number): Uint8Array<ArrayBuffer> {
  const id = Buffer.from(keyId);
  const header = Buffer.alloc(MAGIC.length + 1 + id.length + 8);
  header.write(MAGIC, 0, "latin1");
  header[MAGIC.length] = id.length;
  id.copy(header, MAGIC.length + 1);
  header.writeBigUInt64BE(BigInt(length), MAGIC.length + 1 + id.length);
  return header;
}

/**
 * The parts one after the other, in one array. Through a Blob, not a Response:
 * the Node server adapter replaces the global Response with its own, whose
 * `bytes()` fails on a stream.
 */
export function concat(parts: Uint8Array<ArrayBuffer>[]): Promise<Uint8Array<ArrayBuffer>> {
  return new Blob(parts).bytes();
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
  key: CryptoKey,
  header: SealedHeader,
  stored: Uint8Array<ArrayBuffer>,
  options: { first: number; context: string },
): Promise<Uint8Array<ArrayBuffer>> {
  const count = Math.ceil(stored.length / STORED_SEGMENT);
  const from = options.first * SEGMENT_BYTES;
  const plain = new Uint8Array(Math.max(0, Math.min(header.length - from, count * SEGMENT_BYTES)));
  for (let n = 0; n < count; n++) {
    const segment = stored.subarray(n * STORED_SEGMENT, (n + 1) * STORED_SEGMENT);
    if (segment.length < IV_BYTES + TAG_BYTES) {
      throw new Error("Cannot decrypt file: a segment is cut short");
    }
    const iv = segment.subarray(0, IV_BYTES);
    const additionalData = aad(options.context, options.first + n, header.length);
    const opened = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData },
      key,
      segment.subarray(IV_BYTES),
    ).catch((cause) => {
      throw new Error("Cannot decrypt file: a segment does not open", { cause });
    });
    if (n * SEGMENT_BYTES + opened.byteLength > plain.length) {
      throw new Error("Cannot decrypt file: it is longer than its header says");
    }
    plain.set(new Uint8Array(opened), n * SEGMENT_BYTES);
  }
  return plain;
}

/** What segment `segment` of a file of `length` bytes authenticates besides its bytes. */
export function aad(context: string, segment: number, length: number): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${context}#${segment}/${length}`);
}
