/**
 * A file store that keeps files' bytes and names encrypted at rest, as message
 * content is, around any other file store.
 * @module
 */
import type { ByteRange, FileRecord, FileStore } from "../../core/ports.ts";
import { rangeWithin } from "../../core/file_ports.ts";
import type { Keyring } from "./keyring.ts";
import { concat, MAX_HEADER_BYTES, readHeader, SEGMENT_BYTES, segmentsOf } from "./_sealed_file.ts";
import { openingStream } from "./_file_streams.ts";

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

  async put(file: FileRecord, bytes: Uint8Array | ReadableStream<Uint8Array>): Promise<void> {
    const name = await this.#keyring.encrypt(file.name, contextOf(file.id));
    // Sealed as it arrives; `size` is what every segment authenticates.
    const source = bytes instanceof Uint8Array ? ReadableStream.from([bytes]) : bytes;
    const sealing = this.#keyring.sealing(contextOf(file.id), file.size);
    await this.#inner.put({ ...file, name }, source.pipeThrough(sealing));
  }

  async get(id: string): Promise<FileRecord | null> {
    const file = await this.#inner.get(id);
    return file && await this.#open(file);
  }

  async read(id: string, range?: ByteRange): Promise<Uint8Array<ArrayBuffer> | null> {
    const plain = await this.stream(id, range);
    return plain && await concat(await Array.fromAsync(plain));
  }

  async stream(
    id: string,
    range?: ByteRange,
  ): Promise<ReadableStream<Uint8Array<ArrayBuffer>> | null> {
    // The header first, then only the segments that hold the range, opened as they come.
    const head = await this.#inner.read(id, { start: 0, end: MAX_HEADER_BYTES });
    const header = head && readHeader(head);
    if (!header) {
      // Sealed in one piece, before segments: all of it is opened.
      const sealed = head && await this.#inner.read(id);
      const whole = sealed && this.#keyring.openWhole(sealed, contextOf(id));
      return whole && ReadableStream.from([whole.slice(range?.start, range?.end)]);
    }
    const { start, end } = rangeWithin(header.length, range);
    const { stored, first } = segmentsOf(header, { start, end });
    const segments = await this.#inner.stream(id, stored);
    const open = (sealed: Uint8Array<ArrayBuffer>, at: number) =>
      this.#keyring.openSegments(header, sealed, { first: at, context: contextOf(id) });
    const skip = start - first * SEGMENT_BYTES;
    return segments &&
      segments.pipeThrough(openingStream(open, { first, skip, length: end - start }));
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
