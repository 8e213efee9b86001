/**
 * An in-process job queue: jobs live in memory and are lost on restart. The
 * server uses it only beside MongoDB without RabbitMQ (embedded, the KV file
 * keeps jobs).
 * @module
 */
import type { JobQueue } from "../../core/ports.ts";

/** Runs jobs in this process, a few at a time. */
export class MemoryJobQueue<T> implements JobQueue<T> {
  #handler: ((job: T) => Promise<void>) | null = null;
  #waiting: T[] = [];
  #running = new Set<Promise<void>>();
  #concurrency: number;

  /** Creates the queue. */
  constructor(options: { concurrency: number } = { concurrency: 4 }) {
    this.#concurrency = options.concurrency;
  }

  publish(job: T): Promise<void> {
    this.#waiting.push(job);
    this.#pump();
    return Promise.resolve();
  }

  consume(handler: (job: T) => Promise<void>): Promise<void> {
    this.#handler = handler;
    this.#pump();
    return Promise.resolve();
  }

  waiting(): Promise<number> {
    return Promise.resolve(this.#waiting.length);
  }

  async close(): Promise<void> {
    this.#handler = null;
    this.#waiting = [];
    await Promise.allSettled([...this.#running]);
  }

  #pump(): void {
    while (this.#handler && this.#waiting.length > 0 && this.#running.size < this.#concurrency) {
      const job = this.#waiting.shift()!;
      const run = this.#handler(job).catch(() => {}).finally(() => {
        this.#running.delete(run);
        this.#pump();
      });
      this.#running.add(run);
    }
  }
}
