/**
 * The embedded store on a Deno KV file: survives restarts, needs no server, and
 * keeps its atomic checks when several processes on one host open the same file.
 * @module
 */
import type { Store } from "../../core/ports.ts";
import { KvChatStore } from "./chats.ts";
import { KvMessageStore } from "./messages.ts";
import { KvUserStore } from "./users.ts";

/** Options of the KV store. */
export interface KvStoreOptions {
  /** Path of the KV file; created when missing. */
  path: string;
}

/** Opens the KV file and returns the store on it. */
export async function openKvStore(options: KvStoreOptions): Promise<Store> {
  const kv = await Deno.openKv(options.path);
  return {
    users: new KvUserStore(kv),
    chats: new KvChatStore(kv),
    messages: new KvMessageStore(kv),
    ping: async () => {
      await kv.get(["ping"]);
    },
    close: () => {
      kv.close();
      return Promise.resolve();
    },
  };
}
