/**
 * Removes what older versions of this store wrote and nothing reads any more:
 * the receipt records (`["receipt", userId, chatId, seq]`) that the pending index
 * and the read watermark replaced (see receipts.ts). Left in place they only took
 * disk space, and the file's pages.
 * @module
 */

// Deletes per commit: well inside Deno KV's limits of 1,000 mutations and 800 KB.
const PER_COMMIT = 500;

/**
 * Deletes every legacy entry, a commit at a time, and returns how many it
 * deleted. On a file without any it costs one empty list, so it runs at every
 * open; a crash in the middle leaves the rest for the next open.
 */
export async function dropLegacyEntries(kv: Deno.Kv): Promise<number> {
  let removed = 0;
  for (;;) {
    const op = kv.atomic();
    let count = 0;
    const page = kv.list({ prefix: ["receipt"] }, { limit: PER_COMMIT, batchSize: PER_COMMIT });
    for await (const entry of page) {
      op.delete(entry.key);
      count++;
    }
    if (count === 0) return removed;
    const result = await op.commit();
    if (!result.ok) throw new Error("Cannot delete legacy receipt records");
    removed += count;
  }
}
