/**
 * A warning logged at most once per period. When a queue is down every message
 * fails to queue its jobs, and a line per message would bury the log (and fill
 * the disk) for the whole outage; the metrics count every one.
 * @module
 */
import type { Logger } from "./ports.ts";

/** Logs `msg` at most once every `everyMs`, with how many were held back since the last. */
export class ThrottledWarning {
  #logger: Logger;
  #msg: string;
  #everyMs: number;
  #last = -Infinity;
  #held = 0;

  /** Creates the warning; nothing is logged until `warn`. */
  constructor(logger: Logger, msg: string, everyMs = 10_000) {
    this.#logger = logger;
    this.#msg = msg;
    this.#everyMs = everyMs;
  }

  /** Logs the warning with `fields`, unless one was logged within the period: then counts it. */
  warn(fields: Record<string, unknown>): void {
    const now = performance.now();
    if (now - this.#last < this.#everyMs) {
      this.#held++;
      return;
    }
    const held = this.#held > 0 ? { suppressed: this.#held } : {};
    this.#logger.warn(this.#msg, { ...fields, ...held });
    this.#last = now;
    this.#held = 0;
  }
}
