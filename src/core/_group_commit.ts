/**
 * Group commit: at most one flush runs at a time, and whatever arrives while it
 * runs goes into the next one. An idle system flushes each item at once (no added
 * latency); a busy one writes many items per store round trip.
 * @module
 */

interface Entry<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Collects items and hands them to `flush` in batches of at most `maxBatch`. */
export class GroupCommit<T> {
  #queue: Entry<T>[] = [];
  #running: Promise<void> | null = null;
  #flush: (items: T[]) => Promise<void>;
  #maxBatch: number;

  /** Creates a group commit around a flush function. */
  constructor(flush: (items: T[]) => Promise<void>, maxBatch = 256) {
    this.#flush = flush;
    this.#maxBatch = maxBatch;
  }

  /** Adds an item; resolves once the batch holding it was flushed. */
  add(item: T): Promise<void> {
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
        await this.#flush(batch.map((entry) => entry.item));
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.#running = null;
  }
}
