/**
 * The embedded store on a Deno KV file: survives restarts, needs no server, and
 * keeps its atomic checks when several processes on one host open the same file.
 * @module
 */
import type { Store } from "../../core/ports.ts";
import { KvJobQueue, type KvJobQueueOptions } from "./job_queue.ts";
import { KvChatStore } from "./chats.ts";
import { KvMessageStore } from "./messages.ts";
import { KvReportStore } from "./reports.ts";
import { KvStarStore } from "./stars.ts";
import { KvPreferenceStore } from "./preferences.ts";
import { KvFileStore } from "./files.ts";
import { KvInviteStore } from "./invites.ts";
import { KvSessionStore } from "./sessions.ts";
import { KvUserStore } from "./users.ts";
import { narrowExpiryIndex } from "./_expiry_index.ts";
import { dropLegacyEntries, indexReports } from "./_legacy.ts";
import { openKvFile } from "./_open.ts";

export { KvJobQueue, type KvJobQueueOptions };

/** Options of the KV store. */
export interface KvStoreOptions {
  /** Path of the KV file; created when missing. */
  path: string;
}

/** Job queues in one KV file, on one handle: one per file, or the file is found locked. */
export interface KvJobFile {
  /** A job queue in the file (push notifications, the app's events). */
  jobQueue<T>(options: Omit<KvJobQueueOptions, "kv">): KvJobQueue<T>;
  /** Closes the file; close its queues first. */
  close(): Promise<void>;
}

/** The store on a KV file, and job queues in the same file, on the same handle. */
export interface KvStore extends Store, KvJobFile {}

/**
 * Opens a KV file that holds only job queues, for a store that has none of its
 * own (MongoDB): jobs still survive a restart of the process.
 */
export async function openKvJobFile(options: KvStoreOptions): Promise<KvJobFile> {
  const kv = await openKvFile(options.path);
  return {
    jobQueue: (queue) => new KvJobQueue({ ...queue, kv }),
    close: () => Promise.resolve(kv.close()),
  };
}

/** Opens the KV file and returns the store on it. */
export async function openKvStore(options: KvStoreOptions): Promise<KvStore> {
  const exists = await Deno.stat(options.path).then(() => true, () => false);
  // Deno KV sets up a new file's schema when it first opens it.
  if (!exists) (await openKvFile(options.path)).close();
  narrowExpiryIndex(options.path);
  const kv = await openKvFile(options.path);
  await dropLegacyEntries(kv);
  await indexReports(kv);
  return {
    users: new KvUserStore(kv),
    chats: new KvChatStore(kv),
    messages: new KvMessageStore(kv),
    reports: new KvReportStore(kv),
    stars: new KvStarStore(kv),
    preferences: new KvPreferenceStore(kv),
    invites: new KvInviteStore(kv),
    sessions: new KvSessionStore(kv),
    files: new KvFileStore(kv),
    jobQueue: (options) => new KvJobQueue({ ...options, kv }),
    ping: async () => {
      await kv.get(["ping"]);
    },
    close: () => {
      kv.close();
      return Promise.resolve();
    },
  };
}
