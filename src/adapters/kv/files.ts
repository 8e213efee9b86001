/**
 * Files in Deno KV. A value holds 64 KiB at most, so a file's bytes are chunks
 * under its id (`_file_chunks.ts`). An upload first indexes the file as
 * unclaimed, then writes its chunks, then its record: until the record lands no
 * reader finds it, and if the upload dies the sweep finds the index entry and
 * removes the chunks. A claim moves the entry to an index by claim time, which
 * the sweep reads a day later to see the claiming message stored (then only the
 * entry goes) or not (then the file). A removal deletes the record and marks the
 * file dropped in one commit, then deletes the chunks, so a removal cut short is
 * finished by the sweep.
 * @module
 */
import type { ByteRange, FileRecord, FileStore } from "../../core/ports.ts";
import { rangeWithin } from "../../core/file_ports.ts";
import { getAll, keys, retry } from "./_util.ts";
import { deleteChunks, PIECE_BYTES, readChunks, writeChunks } from "./_file_chunks.ts";

// The record with the count of bytes stored (a wrapper may store more than `size`)
// and, once claimed, when (the key of its entry in the claim-time index).
type Entry = FileRecord & { stored: number; claimedAt?: string };

function toRecord({ stored: _s, claimedAt: _c, ...file }: Entry): FileRecord {
  return file;
}

/** The file store on Deno KV. */
export class KvFileStore implements FileStore {
  #kv: Deno.Kv;

  /** Creates the store on an open KV handle. */
  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  async put(file: FileRecord, bytes: Uint8Array | ReadableStream<Uint8Array>): Promise<void> {
    const unclaimed = keys.unclaimedFile(file.createdAt, file.id);
    const started = await this.#kv.atomic().check({ key: keys.file(file.id), versionstamp: null })
      .set(unclaimed, true).commit();
    if (!started.ok) throw new Error(`Cannot store file ${file.id}: it exists`);
    try {
      const stored = await writeChunks(
        this.#kv,
        file.id,
        bytes instanceof Uint8Array ? [bytes] : bytes,
      );
      await this.#kv.set(keys.file(file.id), { ...file, stored } satisfies Entry);
    } catch (error) {
      // An upload cut off: its chunks go now rather than at the sweep a day later
      // (which still takes them if this fails too: the index entry stays).
      await this.#drop(file.id, unclaimed).catch(() => {});
      throw error;
    }
  }

  async get(id: string): Promise<FileRecord | null> {
    const entry = (await this.#kv.get<Entry>(keys.file(id))).value;
    return entry && toRecord(entry);
  }

  async read(id: string, range?: ByteRange): Promise<Uint8Array<ArrayBuffer> | null> {
    const entry = (await this.#kv.get<Entry>(keys.file(id))).value;
    if (!entry) return null;
    return await readChunks(this.#kv, id, rangeWithin(entry.stored, range));
  }

  async stream(
    id: string,
    range?: ByteRange,
  ): Promise<ReadableStream<Uint8Array<ArrayBuffer>> | null> {
    const entry = (await this.#kv.get<Entry>(keys.file(id))).value;
    if (!entry) return null;
    let { start: at, end } = rangeWithin(entry.stored, range);
    // Each piece reads the record again: a removal deletes it first, and is seen.
    return new ReadableStream({
      pull: async (controller) => {
        if (at >= end) return controller.close();
        // Pieces end on chunk edges, so no chunk is read twice.
        const next = Math.min((Math.floor(at / PIECE_BYTES) + 1) * PIECE_BYTES, end);
        const piece = await this.read(id, { start: at, end: next });
        if (!piece) return controller.error(new Error(`Cannot read file ${id}: it was removed`));
        controller.enqueue(piece);
        at = next;
      },
    });
  }

  claim(ids: readonly string[], clientMsgId: string): Promise<FileRecord[] | null> {
    return retry("claim files", async () => {
      const entries = await getAll<Entry>(this.#kv, ids.map(keys.file));
      const files = entries.map((e) => e.value);
      if (files.some((f) => !f || (f.claimedBy && f.claimedBy !== clientMsgId))) return null;
      const op = this.#kv.atomic().check(...entries);
      const claimedAt = new Date().toISOString();
      // A retried send claims again and its claim's day starts over: a sweep that read
      // the old claim's entry then finds it gone, and keeps the file for the retry.
      const claimed = (files as Entry[]).map((entry) => {
        const file = toRecord(entry);
        if (entry.claimedAt === claimedAt) return file;
        if (entry.claimedAt) op.delete(keys.claimedFile(entry.claimedAt, file.id));
        op.set(keys.file(file.id), { ...entry, claimedBy: clientMsgId, claimedAt } satisfies Entry)
          .delete(keys.unclaimedFile(file.createdAt, file.id))
          .set(keys.claimedFile(claimedAt, file.id), true);
        return { ...file, claimedBy: clientMsgId };
      });
      return (await op.commit()).ok ? claimed : undefined;
    });
  }

  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) await this.#drop(id);
  }

  async sweep(
    before: string,
    limit: number,
    isSent: (file: FileRecord) => Promise<boolean>,
  ): Promise<{ removed: number; more: boolean }> {
    let [removed, seen] = [0, 0];
    for await (const { key } of this.#kv.list({ prefix: keys.droppedFiles() }, { limit })) {
      await this.#clear(key[1] as string);
      removed++;
      seen++;
    }
    if (seen >= limit) return { removed, more: true };
    const old = (prefix: Deno.KvKey) =>
      this.#kv.list({ prefix, end: [...prefix, before] }, { limit: limit - seen });
    // Uploads never claimed: a claim since the listing took the entry away, and wins.
    for await (const { key } of old(keys.unclaimedFiles())) {
      seen++;
      if (await this.#drop(key[2] as string, key)) removed++;
    }
    if (seen >= limit) return { removed, more: true };
    // Claims a day old: kept if the claiming message is stored, else removed.
    for await (const { key } of old(keys.claimedFiles())) {
      seen++;
      const file = await this.get(key[2] as string);
      if (file && await isSent(file)) await this.#kv.delete(key);
      else if (await this.#drop(key[2] as string, key)) removed++;
    }
    return { removed, more: seen >= limit };
  }

  // Deletes the record and its index entries and marks the file dropped in one
  // commit, then deletes its chunks. For the sweep, `listed` is the index entry
  // it read: a claim that moved it since wins. False when nothing was dropped.
  async #drop(id: string, listed?: Deno.KvKey): Promise<boolean> {
    const dropped = await retry("remove file", async () => {
      const entry = await this.#kv.get<Entry>(keys.file(id));
      const index = listed && await this.#kv.get<true>(listed);
      if (!entry.value && !index) return false;
      if (index && !index.value) return false;
      const op = this.#kv.atomic().check(entry).set(keys.droppedFile(id), true);
      if (index) op.check(index).delete(index.key);
      if (entry.value) {
        const { createdAt, claimedAt } = entry.value;
        op.delete(keys.file(id)).delete(keys.unclaimedFile(createdAt, id));
        if (claimedAt) op.delete(keys.claimedFile(claimedAt, id));
      }
      return (await op.commit()).ok || undefined;
    });
    if (dropped) await this.#clear(id);
    return dropped;
  }

  // The chunks, then the mark that says they are to go.
  async #clear(id: string): Promise<void> {
    await deleteChunks(this.#kv, id);
    await this.#kv.delete(keys.droppedFile(id));
  }
}
