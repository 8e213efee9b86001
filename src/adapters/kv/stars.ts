/**
 * Stars in Deno KV: each star under its time-ordered id in the user's list, and
 * one key per (user, message) holding that id, which makes a repeated star
 * return the first and lets an unstar find the entry to drop.
 * @module
 */
import type { StarStore } from "../../core/ports.ts";
import type { StarRecord } from "../../core/types.ts";
import { keys, retry } from "./_util.ts";

// Stars dropped per commit when an account goes: well under KV's 1,000 mutations.
const BATCH = 200;

/** The star store on Deno KV. */
export class KvStarStore implements StarStore {
  #kv: Deno.Kv;

  /** Creates the store on an open KV handle. */
  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  add(star: StarRecord): Promise<StarRecord> {
    const once = keys.star(star.userId, star.messageId);
    return retry("star message", async () => {
      const first = await this.#kv.get<string>(once);
      if (first.value) {
        const found = await this.#kv.get<StarRecord>(keys.starred(star.userId, first.value));
        if (found.value) return found.value;
      }
      // The check on the key keeps two stars of one message at once from both landing.
      const result = await this.#kv.atomic().check(first)
        .set(once, star.id)
        .set(keys.starred(star.userId, star.id), star)
        .commit();
      return result.ok ? star : undefined;
    });
  }

  async remove(userId: string, messageId: string): Promise<void> {
    const once = keys.star(userId, messageId);
    await retry("unstar message", async () => {
      const entry = await this.#kv.get<string>(once);
      if (!entry.value) return true;
      const result = await this.#kv.atomic().check(entry)
        .delete(once)
        .delete(keys.starred(userId, entry.value))
        .commit();
      return result.ok || undefined;
    });
  }

  async list(userId: string, options: { limit: number; before?: string }): Promise<StarRecord[]> {
    const prefix = keys.starredOf(userId);
    const selector = options.before === undefined
      ? { prefix }
      : { prefix, end: keys.starred(userId, options.before) };
    const stars: StarRecord[] = [];
    const entries = this.#kv.list<StarRecord>(selector, { reverse: true, limit: options.limit });
    for await (const entry of entries) stars.push(entry.value);
    return stars;
  }

  async removeAll(userId: string): Promise<void> {
    // Both keys of each star, a batch per commit, until none is left; a crash
    // midway leaves whole stars, which the next deletion attempt drops.
    for (;;) {
      const batch: StarRecord[] = [];
      for await (
        const entry of this.#kv.list<StarRecord>(
          { prefix: keys.starredOf(userId) },
          { limit: BATCH },
        )
      ) batch.push(entry.value);
      if (batch.length === 0) break;
      const op = this.#kv.atomic();
      for (const star of batch) {
        op.delete(keys.star(userId, star.messageId)).delete(keys.starred(userId, star.id));
      }
      await op.commit();
    }
  }
}
