/**
 * Brings a file written by an older version of this store up to date. It
 * removes what nothing reads any more: the receipt records
 * (`["receipt", userId, chatId, seq]`) that the pending index and the read
 * watermark replaced (see receipts.ts); left in place they only took disk
 * space, and the file's pages. And it indexes the reports filed before the
 * indexes of each user's reports and of open reports existed (reports.ts).
 * @module
 */
import type { ReportRecord } from "../../core/types.ts";
import { keys } from "./_util.ts";

// Set once every report is in the index of its user's reports, and every open
// one in the index of open reports.
const REPORTS_INDEXED = ["migrations", "reports_indexed_2"];

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

/**
 * Indexes every report under its user, and those not resolved as open, a
 * commit at a time, once: a marker then
 * says it is done, so later opens cost one read. A crash in the middle sets
 * some keys twice on the next open, which is harmless.
 */
export async function indexReports(kv: Deno.Kv): Promise<void> {
  if ((await kv.get(REPORTS_INDEXED)).value) return;
  let op = kv.atomic();
  let count = 0;
  for await (const entry of kv.list<ReportRecord>({ prefix: keys.reports() })) {
    op.set(keys.reportAbout(entry.value.userId, entry.value.id), true);
    if (!entry.value.resolution) op.set(keys.reportOpen(entry.value.id), true);
    if (++count % PER_COMMIT === 0) {
      if (!(await op.commit()).ok) throw new Error("Cannot index reports");
      op = kv.atomic();
    }
  }
  op.set(REPORTS_INDEXED, true);
  if (!(await op.commit()).ok) throw new Error("Cannot index reports");
}
