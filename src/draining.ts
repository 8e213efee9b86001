/**
 * A graceful stop, for deploys: once draining begins, new REST requests and
 * socket events are refused with `unavailable` (clients retry, behind a balancer
 * on another node), and those already running finish and are answered. So a
 * SIGTERM leaves no send without its answer, where closing at once would leave
 * the client to time out and retry.
 * @module
 */

/** Options of `Draining.drain()`. */
export interface DrainOptions {
  /** Longest wait for running work; what still runs after it is cut off. */
  graceMs: number;
  /**
   * How long no request may have arrived before the drain ends: a client that
   * got an answer may already have sent its next request, which must meet a
   * refusal rather than a closed connection.
   */
  quietMs?: number;
}

/** Counts the requests in progress and refuses new ones once draining began. */
export class Draining {
  #running = 0;
  #draining = false;
  #lastArrival = 0;
  #wake: (() => void) | null = null;

  /** Whether draining began. */
  get draining(): boolean {
    return this.#draining;
  }

  /**
   * Admits one request: returns the function to call when it is answered, or
   * null when draining began and the request is to be refused.
   */
  admit(): (() => void) | null {
    this.#lastArrival = performance.now();
    if (this.#draining) return null;
    this.#running++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#running--;
      this.#wake?.();
    };
  }

  /**
   * Refuses new requests from now on and resolves when none runs and none
   * arrived for `quietMs`, or after `graceMs`; with how many were still running.
   */
  async drain(options: DrainOptions): Promise<number> {
    this.#draining = true;
    const quietMs = options.quietMs ?? 100;
    const deadline = performance.now() + options.graceMs;
    while (performance.now() < deadline) {
      const quietFor = performance.now() - this.#lastArrival;
      if (this.#running === 0 && quietFor >= quietMs) break;
      const wait = Math.min(deadline - performance.now(), Math.max(quietMs - quietFor, 10));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
    return this.#running;
  }
}
