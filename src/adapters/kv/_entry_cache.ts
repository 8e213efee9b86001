/**
 * The entries a writer committed last, with their versionstamps, so that its next
 * commit can check them without reading them first. The appender keeps its chats
 * and memberships here: a hot chat then needs no read before its next message. An
 * entry another writer changed since fails that check, and the writer clears the
 * cache and reads again.
 * @module
 */
import { atMost, trimOldest } from "../../core/trim.ts";
import { getAll } from "./_util.ts";

/** A bounded cache of KV entries; the least recently written goes first. */
export class EntryCache {
  #kv: Deno.Kv;
  #bound: { max: number; keep: number };
  #entries = new Map<string, Deno.KvEntryMaybe<unknown>>();

  /** Creates a cache of at most `size` entries over an open KV handle. */
  constructor(kv: Deno.Kv, size: number) {
    this.#kv = kv;
    this.#bound = atMost(size);
  }

  /** Keeps an entry as just committed. */
  remember(entry: Deno.KvEntryMaybe<unknown>): void {
    const key = JSON.stringify(entry.key);
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    trimOldest(this.#entries, this.#bound);
  }

  /** Returns the entries of these keys: from the cache where it has them, else read. */
  async get<T>(list: Deno.KvKey[]): Promise<Deno.KvEntryMaybe<T>[]> {
    const hits = list.map((key) => this.#entries.get(JSON.stringify(key)) as Deno.KvEntryMaybe<T>);
    const missing = list.filter((_, i) => !hits[i]);
    const read = await getAll<T>(this.#kv, missing);
    return hits.map((hit) => hit ?? read.shift()!);
  }

  /** Forgets everything (after a failed check: some entry is stale). */
  clear(): void {
    this.#entries.clear();
  }
}
