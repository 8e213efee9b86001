/**
 * The store on MongoDB. Multi-document steps (a send, a drain's acks, a read)
 * run in transactions, so MongoDB must run as a replica set (a single-node one
 * is enough; docker-compose.yml starts one).
 * @module
 */
import { MongoClient } from "mongodb";
import type { Store } from "../../core/ports.ts";
import { MongoChatStore } from "./chats.ts";
import { collections } from "./_collections.ts";
import { ensureIndexes } from "./_indexes.ts";
import { MongoMessageStore } from "./messages.ts";
import { MongoReportStore } from "./reports.ts";
import { MongoStarStore } from "./stars.ts";
import { MongoPreferenceStore } from "./preferences.ts";
import { MongoFileStore } from "./files.ts";
import { MongoInviteStore } from "./invites.ts";
import { MongoSessionStore } from "./sessions.ts";
import { MongoUserStore } from "./users.ts";

/** Options of the MongoDB store. */
export interface MongoStoreOptions {
  url: string;
  database: string;
}

/** Connects, creates the indexes, and returns the store. */
export async function openMongoStore(options: MongoStoreOptions): Promise<Store> {
  const client = new MongoClient(options.url, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  const c = collections(client.db(options.database));
  await ensureIndexes(c);
  return {
    users: new MongoUserStore(client, c),
    chats: new MongoChatStore(client, c),
    messages: new MongoMessageStore(client, c),
    reports: new MongoReportStore(c),
    stars: new MongoStarStore(c),
    preferences: new MongoPreferenceStore(c),
    invites: new MongoInviteStore(c),
    files: new MongoFileStore(c),
    sessions: new MongoSessionStore(c),
    ping: async () => {
      await client.db(options.database).command({ ping: 1 });
    },
    close: () => client.close(),
  };
}
