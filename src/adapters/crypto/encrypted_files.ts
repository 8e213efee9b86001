/**
 * A file store that keeps files' bytes and names encrypted at rest, as message
 * content is, around any other file store.
 * @module
 */
import type { ByteRange, FileRecord, FileStore } from "../../core/ports.ts";
import type { Keyring } from "./keyring.ts";
import { MAX_HEADER_BYTES, readHeader, SEGMENT_BYTES, segmentsOf } from "./_sealed_file.ts";

// Bytes and name are bound to their file: moved onto another, they fail to open.
const contextOf = (id: string) => `file:${id}`;

/** Wraps a file store so that bytes and names are stored encrypted. */
export class EncryptedFileStore implements FileStore {
  #inner: FileStore;
  #keyring: Keyring;

  /** Creates the wrapper. */
  constructor(inner: FileStore, keyring: Keyring) {
    this.#inner = inner;
    this.#keyring = keyring;
  }

  async #open(file: FileRecord): Promise<FileRecord> {
    return { ...file, name: await this.#keyring.decrypt(file.name, contextOf(file.id)) };
  }

  async put(file: FileRecord, bytes: Uint8Array): Promise<void> {
    const name = await this.#keyring.encrypt(file.name, contextOf(file.id));
    await this.#inner.put(
      { ...file, name },
      await this.#keyring.sealBytes(bytes, contextOf(file.id)),
    );
  }

  async get(id: string): Promise<FileRecord | null> {
    const file = await this.#inner.get(id);
    return file && await this.#open(file);
  }

  async read(id: string, range?: ByteRange): Promise<Uint8Array<ArrayBuffer> | null> {
    if (!range) {
      const sealed = await this.#inner.read(id);
      return sealed && await this.#keyring.openBytes(sealed, contextOf(id));
    }
    // The header first, then only the segments that hold the range.
    const head = await this.#inner.read(id, { start: 0, end: MAX_HEADER_BYTES });
    const header = head && readHeader(head);
    if (!header) {
      // Sealed in one piece, before segments: all of it is opened.
      const whole = head && await this.read(id);
      return whole && whole.slice(range.start, range.end);
    }
    const { stored, first } = segmentsOf(header, range);
    const segments = await this.#inner.read(id, stored);
    if (!segments) return null;
    const plain = await this.#keyring.openSegments(header, segments, {
      first,
      context: contextOf(id),
    });
    // The range within the segments read, clamped to the file's end.
    const offset = first * SEGMENT_BYTES;
    const [start, end] = [range.start, range.end].map((at) => Math.min(at, header.length) - offset);
    if (end <= start) return new Uint8Array(0);
    if (plain.length < end) throw new Error("Cannot decrypt file: it is cut short");
    return plain.slice(start, end);
  }

  async claim(ids: readonly string[], clientMsgId: string): Promise<FileRecord[] | null> {
    const files = await this.#inner.claim(ids, clientMsgId);
    return files && await Promise.all(files.map((file) => this.#open(file)));
  }

  remove(ids: readonly string[]): Promise<void> {
    return this.#inner.remove(ids);
  }

  sweep(
    before: string,
    limit: number,
    isSent: (file: FileRecord) => Promise<boolean>,
  ): Promise<{ removed: number; more: boolean }> {
    return this.#inner.sweep(before, limit, async (file) => isSent(await this.#open(file)));
  }
}
