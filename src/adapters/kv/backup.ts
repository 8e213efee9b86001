/**
 * A consistent copy of the store's KV file while servers write to it, for
 * backups. Deno KV keeps its entries in SQLite in WAL mode, so SQLite's online
 * backup (node:sqlite), copying every page in one step, reads one snapshot: a
 * commit lands wholly in the copy or not at all, and writers go on meanwhile.
 * @module
 */
import { backup, DatabaseSync } from "node:sqlite";

/** What a backup copied. */
export interface KvBackup {
  /** KV entries in the copy. */
  entries: number;
  /** Size of the copy in bytes. */
  bytes: number;
}

/**
 * Copies the KV file at `source` to `destination` (a path that must not exist)
 * and checks the copy's integrity; throws when the source is no KV file or the
 * copy is damaged.
 */
export async function backupKvFile(source: string, destination: string): Promise<KvBackup> {
  // SQLite would overwrite it: an earlier backup is worth more than this call.
  if (await Deno.lstat(destination).then(() => true, () => false)) {
    throw new Error(`Cannot back up the store: ${destination} exists`);
  }
  // Read only: a backup never changes the store, nor sets up a file that is not one.
  const db = new DatabaseSync(source, { readOnly: true, timeout: 5000 });
  try {
    // -1 copies every page in one step, under one read snapshot; in steps of a few
    // pages SQLite starts over whenever a write lands between two of them.
    await backup(db, destination, { rate: -1 });
  } finally {
    db.close();
  }
  const copy = new DatabaseSync(destination, { readOnly: true });
  try {
    const check = copy.prepare("PRAGMA integrity_check").get() as { integrity_check: string };
    if (check.integrity_check !== "ok") {
      throw new Error(
        `Cannot back up the store: the copy failed its check (${check.integrity_check})`,
      );
    }
    const { entries } = copy.prepare("SELECT count(*) AS entries FROM kv").get() as {
      entries: number;
    };
    return { entries, bytes: (await Deno.stat(destination)).size };
  } finally {
    copy.close();
  }
}
