/**
 * A worker that takes jobs off a queue and sends each with retries: exponential
 * backoff with jitter, given up after a number of attempts. What a job is and
 * where it goes are the caller's; push notifications and the app's events share it,
 * and how each job ends is counted and logged here, the same way for both.
 * @module
 */
import type { CounterName, JobQueue, JobSender, Logger, Metrics } from "./ports.ts";
import { ThrottledWarning } from "./_throttled_warning.ts";

/** Retry policy of a worker. */
export interface RetryOptions {
  maxAttempts: number;
  /** Delay before the second attempt; doubles after each failure (with jitter). */
  retryBaseMs: number;
}

/** What the worker is given. */
export interface WorkerDeps<T> {
  queue: JobQueue<T>;
  sender: JobSender<T>;
  logger: Logger;
  metrics: Metrics;
  /** What a job is, in log lines ("push notification"). */
  what: string;
  /** Counted once per job sent, and per job given up or that could not be queued. */
  counters: { sent: CounterName; dropped: CounterName };
  /** The fields that name a job in log lines. */
  describe: (job: T) => Record<string, unknown>;
}

/** Sends the jobs of a queue, retrying each. */
export class RetryingWorker<T> {
  #deps: WorkerDeps<T>;
  #options: RetryOptions;
  /** Jobs waiting for their next attempt: closing ends each wait at once. */
  #waits = new Map<ReturnType<typeof setTimeout>, () => void>();
  #closed = false;
  #cannotQueue: ThrottledWarning;

  /** Creates the worker; `start()` consumes. */
  constructor(deps: WorkerDeps<T>, options: RetryOptions) {
    this.#deps = deps;
    this.#options = options;
    this.#cannotQueue = new ThrottledWarning(deps.logger, `cannot queue ${deps.what}`);
  }

  /** Starts taking jobs on this node. */
  start(): Promise<void> {
    return this.#deps.queue.consume((job) => this.#deliver(job));
  }

  /**
   * Queues a job for whichever node's worker takes it; never throws. A job that
   * cannot be queued is counted as dropped, and warned of (throttled).
   */
  async publish(job: T): Promise<void> {
    try {
      await this.#deps.queue.publish(job);
    } catch (error) {
      this.notQueued(1, this.#deps.describe(job), error);
    }
  }

  /** Counts `count` jobs that could not be queued as dropped, and warns of them (throttled). */
  notQueued(count: number, fields: Record<string, unknown>, error: unknown): void {
    this.#deps.metrics.count(this.#deps.counters.dropped, count);
    this.#cannotQueue.warn({ ...fields, error: String(error) });
  }

  /** Stops retrying; queued jobs stay in a durable queue. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const [timer, wake] of this.#waits) {
      clearTimeout(timer);
      wake();
    }
    this.#waits.clear();
    await this.#deps.queue.close();
  }

  // Settles when the job is done with (sent, or given up); rejects when closing cut it short,
  // so that a durable queue keeps it for the next node rather than dropping it.
  async #deliver(job: T): Promise<void> {
    for (let attempt = 1; attempt <= this.#options.maxAttempts; attempt++) {
      if (this.#closed) throw new Error("Cannot send job: the worker is closing");
      try {
        await this.#deps.sender.send(job);
        this.#deps.metrics.count(this.#deps.counters.sent);
        return;
      } catch (error) {
        if (attempt === this.#options.maxAttempts) {
          this.#deps.metrics.count(this.#deps.counters.dropped);
          this.#deps.logger.warn(`${this.#deps.what} dropped after retries`, {
            ...this.#deps.describe(job),
            attempts: attempt,
            error: String(error),
          });
          return;
        }
        // Exponential backoff with jitter, so a receiver that is down is not hammered in step.
        const delay = this.#options.retryBaseMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.#waits.delete(timer);
            resolve();
          }, delay);
          this.#waits.set(timer, resolve);
        });
      }
    }
  }
}
