/**
 * When the outbox tries again: after the time the server (or a proxy) named,
 * else after a wait that grows with each failure in a row.
 * @module
 */
/**
 * The wait before trying an entry again after its `failures`th failure in a
 * row that named no time (the network, no ack): 1 s doubled each time up to
 * 30 s, of which a random half to all (clients cut off together do not all
 * come back together). An upload starts over from its first byte, so a phone
 * on a flaky network would otherwise send a large file again every second.
 */
export function retryDelay(failures: number): number {
  const ms = Math.min(30_000, 1000 * 2 ** failures);
  return ms / 2 + Math.random() * ms / 2;
}

/** The timer of the outbox's next try. */
export class RetryTimer {
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Failures in a row that named no time to wait: the next wait is longer. */
  #failures = 0;

  /** Calls `retry` after `ms`, or, when no time was named, after `retryDelay`. */
  later(retry: () => void, ms?: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(retry, ms ?? retryDelay(this.#failures++));
  }

  /** A try succeeded: the next failure waits the least again. */
  succeeded(): void {
    this.#failures = 0;
  }

  /** Drops the try to come (one is made now, or none any more). */
  cancel(): void {
    clearTimeout(this.#timer);
  }
}
