/**
 * The sealed file layout as tests build and read it by hand with node:crypto,
 * apart from the code under test: what is on disk stays readable whatever
 * implementation seals it.
 * @module
 */
import { Buffer } from "node:buffer";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { FileRecord } from "../../../src/core/ports.ts";

/** The raw key of id "k1". */
export const KEY = "a".repeat(32);
/** Plaintext bytes per segment. */
export const SEGMENT = 64 * 1024;
/** The header of a file sealed under key id "k1": "enc2", 1, "k1", 8 bytes of length. */
export const HEADER = 4 + 1 + 2 + 8;
/** Stored bytes per full segment: IV, ciphertext, tag. */
export const STORED_SEGMENT = 12 + SEGMENT + 16;
/** What a file that does not open fails with (not, say, a missing file's null). */
export const UNOPENED = { message: /^Cannot decrypt file: / };

/** A file record of `size` bytes under a new id. */
export function file(size: number): FileRecord {
  const id = crypto.randomUUID();
  const createdAt = new Date().toISOString();
  return { id, chatId: "c", uploaderId: "u", name: "a.bin", type: "video/mp4", size, createdAt };
}

/** Bytes that differ from segment to segment. */
export function pattern(size: number): Uint8Array {
  return new Uint8Array(size).map((_, i) => (i * 7) % 256);
}

/** What earlier versions wrote: "enc1", the key id, an IV, then the whole file's ciphertext and tag. */
export function sealedInOnePiece(bytes: Uint8Array, context: string): Uint8Array {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(KEY), iv);
  cipher.setAAD(Buffer.from(context));
  const head = Buffer.concat([Buffer.from("enc1"), Buffer.of(2), Buffer.from("k1"), iv]);
  return Buffer.concat([head, cipher.update(bytes), cipher.final(), cipher.getAuthTag()]);
}

/** The enc2 layout as `_sealed_file.ts` documents it, built by hand. */
export function sealedByHand(bytes: Uint8Array, context: string): Uint8Array {
  const length = Buffer.alloc(8);
  length.writeBigUInt64BE(BigInt(bytes.length));
  const parts: Uint8Array[] = [Buffer.from("enc2"), Buffer.of(2), Buffer.from("k1"), length];
  for (let i = 0; i * SEGMENT < Math.max(bytes.length, 1); i++) {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", Buffer.from(KEY), iv);
    cipher.setAAD(Buffer.from(`${context}#${i}/${bytes.length}`));
    const plain = bytes.subarray(i * SEGMENT, (i + 1) * SEGMENT);
    parts.push(iv, cipher.update(plain), cipher.final(), cipher.getAuthTag());
  }
  return Buffer.concat(parts);
}

/** Opens an enc2 file by hand, as `_sealed_file.ts` documents the layout; throws when it does not. */
export function openedByHand(stored: Uint8Array, context: string): Uint8Array {
  const data = Buffer.from(stored);
  if (data.toString("latin1", 0, 4) !== "enc2") throw new Error("not enc2");
  const idEnd = 5 + data[4];
  const length = Number(data.readBigUInt64BE(idEnd));
  const parts: Uint8Array[] = [];
  let at = idEnd + 8;
  for (let i = 0; at < data.length; i++, at += STORED_SEGMENT) {
    const segment = data.subarray(at, at + STORED_SEGMENT);
    const decipher = createDecipheriv("aes-256-gcm", Buffer.from(KEY), segment.subarray(0, 12));
    decipher.setAAD(Buffer.from(`${context}#${i}/${length}`));
    decipher.setAuthTag(segment.subarray(segment.length - 16));
    parts.push(decipher.update(segment.subarray(12, segment.length - 16)), decipher.final());
  }
  const plain = Buffer.concat(parts);
  if (plain.length !== length) throw new Error(`${plain.length} bytes, not ${length}`);
  return plain;
}
