/**
 * `deno task backup <folder>` (or `chat-server backup <folder>`): a backup of
 * the embedded store while the server runs. The folder gets a consistent copy
 * of the KV file and the secrets the server generated and kept in DATA_DIR, so
 * it is itself a DATA_DIR: to restore, stop the server and start it on a copy
 * of the folder. With MongoDB the store is backed up with MongoDB's own tools.
 * Exits 1, saying why, when it cannot back up.
 * @module
 */
import { join } from "node:path";
import { backupKvFile } from "./adapters/kv/backup.ts";
import { kvFile } from "./backends.ts";
import { ConfigError, KEPT_SECRETS, type StoreLocation, storeLocation } from "./config.ts";

/** What one backup wrote. */
export interface BackupResult {
  folder: string;
  entries: number;
  bytes: number;
}

/**
 * Backs up the embedded store of `config` into `folder`, which must not exist
 * (it is created); throws a `ConfigError` saying what to do when it cannot.
 */
export async function backupStore(
  config: StoreLocation,
  folder: string,
): Promise<BackupResult> {
  if (config.mongodbUrl) {
    throw new ConfigError("Cannot back up: the store is MongoDB; use mongodump or a replica set");
  }
  const source = kvFile(config);
  if (!await Deno.stat(source).then((s) => s.isFile, () => false)) {
    throw new ConfigError(`Cannot back up: no store at ${source}; is DATA_DIR right?`);
  }
  try {
    await Deno.mkdir(folder);
  } catch (cause) {
    throw new ConfigError(`Cannot back up: cannot create ${folder} (it must not exist)`, { cause });
  }
  const { entries, bytes } = await backupKvFile(source, kvFile({ dataDir: folder }));
  // Without the message key a copy of the store cannot be read.
  for (const name of Object.values(KEPT_SECRETS)) {
    const kept = await Deno.readFile(join(config.dataDir, name)).catch(() => undefined);
    if (!kept) continue;
    await Deno.writeFile(join(folder, name), kept, { createNew: true, mode: 0o600 });
  }
  return { folder, entries, bytes };
}

/** Runs the backup command: prints what it wrote, or why it could not, and exits. */
export async function backupCommand(folder: string | undefined): Promise<never> {
  if (!folder) {
    console.error("Usage: deno task backup <folder>   (the folder must not exist yet)");
    Deno.exit(2);
  }
  try {
    const config = storeLocation();
    const started = performance.now();
    const done = await backupStore(config, folder);
    const ms = Math.round(performance.now() - started);
    const mb = (done.bytes / 1e6).toFixed(1);
    console.log(`backup: ok (${done.folder}: ${done.entries} entries, ${mb} MB, ${ms} ms)`);
    if (config.messageKeySet) {
      console.log("  the messages in it are encrypted with MESSAGE_KEY: keep that key with it");
    }
    Deno.exit(0);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `backup failed: ${error}`);
    Deno.exit(1);
  }
}

if (import.meta.main) await backupCommand(Deno.args[0]);
