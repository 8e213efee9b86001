/**
 * A file store that keeps files' bytes and names encrypted at rest, as message
 * content is, around any other file store.
 * @module
 */
import type { FileRecord, FileStore } from "../../core/ports.ts";
import type { Keyring } from "./keyring.ts";

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
    await this.#inner.put({ ...file, name }, this.#keyring.sealBytes(bytes, contextOf(file.id)));
  }

  async get(id: string): Promise<FileRecord | null> {
    const file = await this.#inner.get(id);
    return file && await this.#open(file);
  }

  async read(id: string): Promise<Uint8Array<ArrayBuffer> | null> {
    const sealed = await this.#inner.read(id);
    return sealed && this.#keyring.openBytes(sealed, contextOf(id));
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
