/**
 * Bounds for Maps and Sets kept in insertion order as caches or windows of
 * recent ids, where the oldest entries go first.
 *
 * Why in batches: deleting the oldest entry through a fresh iterator on every
 * insert (`keys().next()`) walks the holes that earlier deletes left at the
 * front of V8's hash table, until it is rebuilt. With 10,000 entries that cost
 * about 8 µs per insert (300 ms per 40,000), and in the KV store's pending cache
 * it made a 10,000-message drain a third slower. One pass that drops a batch
 * costs about 0.6 µs per insert.
 * @module
 */

/** A Map or a Set: anything whose keys iterate oldest first and can be deleted. */
export interface Trimmable<K> {
  readonly size: number;
  keys(): Iterable<K>;
  delete(key: K): boolean;
}

/**
 * Once `collection` holds more than `max` entries, deletes the oldest until it
 * holds `keep`. A cache that may hold at most N passes `{ max: N, keep: 0.9 N }`;
 * a window that must remember at least the last N passes `{ max: 1.1 N, keep: N }`.
 */
export function trimOldest<K>(
  collection: Trimmable<K>,
  { max, keep }: { max: number; keep: number },
): void {
  if (collection.size <= max) return;
  let evict = collection.size - keep;
  for (const key of collection.keys()) {
    if (evict-- <= 0) break;
    collection.delete(key);
  }
}

/** The `{ max, keep }` of a cache of at most `size` entries: a tenth goes at once. */
export function atMost(size: number): { max: number; keep: number } {
  return { max: size, keep: size - Math.ceil(size / 10) };
}

/** The `{ max, keep }` of a window of at least the last `size` ids: a tenth more before a trim. */
export function atLeast(size: number): { max: number; keep: number } {
  return { max: size + Math.ceil(size / 10), keep: size };
}
