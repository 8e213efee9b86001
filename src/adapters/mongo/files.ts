/**
 * Files in MongoDB: one document per file with its bytes, written in one insert,
 * so a reader never finds half a file. `unclaimed` marks the uploads no message
 * claimed, and `unsent` with `claimedAt` the claims whose message the sweep has
 * not yet seen stored, each under a partial index the sweep reads oldest first.
 * @module
 */
import { Binary } from "mongodb";
import type { ByteRange, FileRecord, FileStore } from "../../core/ports.ts";
import type { Collections, FileDoc } from "./_collections.ts";

const WITHOUT_BYTES = { projection: { data: 0, unclaimed: 0, unsent: 0, claimedAt: 0 } } as const;

function toRecord({ _id, data: _d, unclaimed: _u, unsent: _s, claimedAt: _c, ...file }: FileDoc) {
  return file satisfies FileRecord;
}

/** The file store on MongoDB. */
export class MongoFileStore implements FileStore {
  #c: Collections;

  /** Creates the store on the collections. */
  constructor(c: Collections) {
    this.#c = c;
  }

  // One document, so the stream is read whole first (a file is at most 15 MiB).
  async put(file: FileRecord, bytes: Uint8Array | ReadableStream<Uint8Array>): Promise<void> {
    const data = bytes instanceof Uint8Array
      ? bytes
      : await new Blob(await Array.fromAsync(bytes) as Uint8Array<ArrayBuffer>[]).bytes();
    await this.#c.files.insertOne({
      ...file,
      _id: file.id,
      data: new Binary(data),
      unclaimed: true,
    });
  }

  async get(id: string): Promise<FileRecord | null> {
    const doc = await this.#c.files.findOne({ _id: id }, WITHOUT_BYTES);
    return doc ? toRecord(doc as FileDoc) : null;
  }

  // A range still fetches the whole document: MongoDB has no operator that slices
  // binary data on the server. What it saves is the copy (and, encrypted, the decryption).
  async read(id: string, range?: ByteRange): Promise<Uint8Array<ArrayBuffer> | null> {
    const doc = await this.#c.files.findOne({ _id: id }, { projection: { data: 1 } });
    return doc ? new Uint8Array(doc.data.buffer.subarray(range?.start, range?.end)) : null;
  }

  // The document comes whole (as in `read`), so its stream is one piece.
  async stream(
    id: string,
    range?: ByteRange,
  ): Promise<ReadableStream<Uint8Array<ArrayBuffer>> | null> {
    const bytes = await this.read(id, range);
    return bytes && ReadableStream.from([bytes]);
  }

  async claim(ids: readonly string[], clientMsgId: string): Promise<FileRecord[] | null> {
    const free = { $or: [{ claimedBy: { $exists: false } }, { claimedBy: clientMsgId }] };
    const docs = await this.#c.files.find({ _id: { $in: [...ids] }, ...free }, WITHOUT_BYTES)
      .toArray();
    if (docs.length !== new Set(ids).size) return null;
    // A file claimed by another message between the read and this write is not
    // matched, and the count tells: then the send is refused.
    const { matchedCount } = await this.#c.files.updateMany(
      { _id: { $in: [...ids] }, ...free },
      {
        $set: { claimedBy: clientMsgId, claimedAt: new Date().toISOString(), unsent: true },
        $unset: { unclaimed: "" },
      },
    );
    if (matchedCount !== docs.length) return null;
    const byId = new Map(docs.map((doc) => [doc._id, toRecord(doc as FileDoc)]));
    return ids.map((id) => ({ ...byId.get(id)!, claimedBy: clientMsgId }));
  }

  async remove(ids: readonly string[]): Promise<void> {
    await this.#c.files.deleteMany({ _id: { $in: [...ids] } });
  }

  async sweep(
    before: string,
    limit: number,
    isSent: (file: FileRecord) => Promise<boolean>,
  ): Promise<{ removed: number; more: boolean }> {
    let removed = 0;
    const uploads = await this.#c.files
      .find({ unclaimed: true, createdAt: { $lt: before } }, WITHOUT_BYTES)
      .sort({ createdAt: 1 }).limit(limit).toArray();
    for (const { _id } of uploads) {
      // Checked again as it deletes: a file claimed since the read stays.
      removed += (await this.#c.files.deleteOne({ _id, claimedBy: { $exists: false } }))
        .deletedCount;
    }
    if (uploads.length >= limit) return { removed, more: true };
    const claims = await this.#c.files
      .find({ unsent: true, claimedAt: { $lt: before } }, WITHOUT_BYTES)
      .sort({ claimedAt: 1 }).limit(limit - uploads.length).toArray();
    for (const doc of claims) {
      const file = toRecord(doc as FileDoc);
      if (await isSent(file)) {
        await this.#c.files.updateOne({ _id: doc._id }, { $unset: { unsent: "", claimedAt: "" } });
      } else {
        // Only the claim it read: a send retried meanwhile claimed it again (claimedAt
        // moved) and is about to store the message that carries it.
        const claim = { claimedBy: file.claimedBy, claimedAt: doc.claimedAt };
        removed += (await this.#c.files.deleteOne({ _id: doc._id, ...claim })).deletedCount;
      }
    }
    return { removed, more: uploads.length + claims.length >= limit };
  }
}
