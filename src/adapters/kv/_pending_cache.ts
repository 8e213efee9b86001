/**
 * Pending entries as last written or read, with their versionstamps, so that the
 * ack of a message can check and delete its pending entry without reading it
 * first. An ack commit used to read every entry it took: in a drain that was one
 * more V8-deserialized KV value per message, on the main thread, for an entry
 * the drain had read a moment before (or the send had written).
 *
 * A pending entry is written once, when its message is stored, and then only
 * deleted, so a remembered versionstamp is either still the entry's or the entry
 * is gone; the commit's check tells which, and on a failed check the ack reads
 * the entries as before. A stale entry here costs one retry, never a wrong count.
 * @module
 */

import { atMost, trimOldest } from "../../core/trim.ts";
import { pendingId } from "./_util.ts";

/** A pending entry: its value is the message's number of recipients (`true` in older files). */
export type PendingEntry = Deno.KvEntry<number | true>;

/** A bounded cache of pending entries; the first remembered goes first. */
export class PendingCache {
  #bound: { max: number; keep: number };
  #entries = new Map<string, PendingEntry>();

  /** Creates a cache of at most `size` entries: enough for the acks in flight. */
  constructor(size: number) {
    this.#bound = atMost(size);
  }

  /** Keeps an entry as just committed or read. */
  remember(entry: PendingEntry): void {
    // No delete first: an entry remembered again keeps its place, which is old enough.
    // Keys are ["pending", userId, chatId, seq].
    const [, userId, chatId, seq] = entry.key as [string, string, string, number];
    this.#entries.set(pendingId(userId, chatId, seq), entry);
    trimOldest(this.#entries, this.#bound);
  }

  /** Removes and returns the entry of a user's message, if it is here. */
  take(ref: { userId: string; chatId: string; seq: number }): PendingEntry | undefined {
    const id = pendingId(ref.userId, ref.chatId, ref.seq);
    const entry = this.#entries.get(id);
    if (entry) this.#entries.delete(id);
    return entry;
  }
}
