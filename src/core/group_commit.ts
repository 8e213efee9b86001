/**
 * Group commit: at most one flush runs at a time, and whatever arrives while it
 * runs goes into the next one. An idle system flushes each item at once (no added
 * latency); a busy one writes many items per store round trip. This is how the
 * embedded store gets past its ceiling of a few thousand commits per second.
 * @module
 */

/** One item's outcome in a flush: its result, or the error that refused it alone. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Entry<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects items and hands them to `flush` in batches of at most `maxBatch`.
 * `flush` returns one outcome per item, in order; when it throws, every item of
 * the batch fails with that error.
 */
export class GroupCommit<T, R = void> {
  #queue: Entry<T, R>[] = [];
  #running: Promise<void> | null = null;
  #flush: (items: T[]) => Promise<Outcome<R>[]>;
  #maxBatch: number;

  /** Creates a group commit around a flush function. */
  constructor(flush: (items: T[]) => Promise<Outcome<R>[]>, maxBatch = 256) {
    this.#flush = flush;
    this.#maxBatch = maxBatch;
  }

  /** Adds an item; resolves with its outcome once the batch holding it was flushed. */
  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#running ??= this.#run();
    });
  }

  /** Resolves when nothing is queued or being flushed. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #run(): Promise<void> {
    // Yield once so items added in the same tick share the first batch.
    await Promise.resolve();
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      try {
        const outcomes = await this.#flush(batch.map((entry) => entry.item));
        batch.forEach((entry, i) => {
          const outcome = outcomes[i];
          if (outcome.ok) entry.resolve(outcome.value);
          else entry.reject(outcome.error);
        });
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.#running = null;
  }
}

/** Wraps a flush that succeeds or fails as a whole into one with per-item outcomes. */
export function allOrNothing<T>(
  flush: (items: T[]) => Promise<void>,
): (items: T[]) => Promise<Outcome<void>[]> {
  return async (items) => {
    await flush(items);
    return items.map(() => ({ ok: true, value: undefined }));
  };
}
