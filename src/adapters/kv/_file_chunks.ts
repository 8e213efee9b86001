/**
 * A file's bytes in Deno KV: numbered chunks under its id, since a value holds
 * 64 KiB at most. Written a few per commit as the pieces come, read by the
 * numbers a range touches, deleted in batches. What the chunks belong to (the
 * record, its indexes, when they may go) is files.ts's.
 * @module
 */
import { keys } from "./_util.ts";

// Under the 64 KiB value limit, and ten per commit under the 800 KiB a commit may write.
const CHUNK_BYTES = 60 * 1024;
const CHUNKS_PER_COMMIT = 10;
// Deletes per commit, under the 1,000 mutations a commit may hold.
const DELETES_PER_COMMIT = 500;

/** A stream's piece: four chunks, so a download holds a quarter of a megabyte. */
export const PIECE_BYTES = 4 * CHUNK_BYTES;

/**
 * Writes the pieces as 60 KiB chunks as they come, ten to a commit; returns the
 * count of bytes. At most a commit's chunks wait in memory.
 */
export async function writeChunks(
  kv: Deno.Kv,
  id: string,
  pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<number> {
  let [chunk, filled, next, total] = [new Uint8Array(CHUNK_BYTES), 0, 0, 0];
  let op = kv.atomic();
  const add = async (bytes: Uint8Array) => {
    op.set(keys.fileChunk(id, next++), bytes);
    if (next % CHUNKS_PER_COMMIT === 0) {
      await op.commit();
      op = kv.atomic();
    }
  };
  for await (const piece of pieces) {
    for (let at = 0; at < piece.length;) {
      const take = Math.min(CHUNK_BYTES - filled, piece.length - at);
      chunk.set(piece.subarray(at, at + take), filled);
      [filled, at] = [filled + take, at + take];
      if (filled === CHUNK_BYTES) {
        await add(chunk);
        [chunk, filled] = [new Uint8Array(CHUNK_BYTES), 0];
      }
    }
    total += piece.length;
  }
  if (filled) await add(chunk.subarray(0, filled));
  await op.commit();
  return total;
}

/**
 * The bytes from `start` to `end`, read from the chunks that range touches only;
 * null when one is missing (a removal is deleting them).
 */
export async function readChunks(
  kv: Deno.Kv,
  id: string,
  { start, end }: { start: number; end: number },
): Promise<Uint8Array<ArrayBuffer> | null> {
  const [first, last] = [Math.floor(start / CHUNK_BYTES), Math.ceil(end / CHUNK_BYTES)];
  const bytes = new Uint8Array(end - start);
  let seen = 0;
  const chunks = kv.list<Uint8Array>({
    start: keys.fileChunk(id, first),
    end: keys.fileChunk(id, last),
  });
  // Each chunk copied in at its place, by its number.
  for await (const { key, value } of chunks) {
    const offset = (key[2] as number) * CHUNK_BYTES;
    const [from, to] = [Math.max(start - offset, 0), Math.min(end - offset, value.length)];
    if (to > from) bytes.set(value.subarray(from, to), offset + from - start);
    seen++;
  }
  return seen === last - first ? bytes : null;
}

/** Deletes every chunk of the file, a batch per commit. */
export async function deleteChunks(kv: Deno.Kv, id: string): Promise<void> {
  let batch: Deno.KvKey[] = [];
  const flush = async () => {
    const op = kv.atomic();
    for (const key of batch) op.delete(key);
    await op.commit();
    batch = [];
  };
  for await (const { key } of kv.list({ prefix: keys.fileChunks(id) })) {
    batch.push(key);
    if (batch.length === DELETES_PER_COMMIT) await flush();
  }
  await flush();
}
