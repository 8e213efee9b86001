/**
 * Departures that wait a grace period before anyone is told of them, by key. A
 * page reload, a tab put to sleep or a phone changing networks comes back
 * within seconds: coming back takes the departure back, and nobody hears of it.
 * Presence (`user:offline`) and the sockets' open chats (`user:left`) wait so.
 * @module
 */

/** Departures waiting their grace; `due` is called for each one not taken back in time. */
export class Departures<V> {
  #graceMs: number;
  #due: (key: string, value: V) => void;
  #waiting = new Map<string, { value: V; timer: ReturnType<typeof setTimeout> }>();

  /** Waits `graceMs` (0: the next turn of the event loop) before `due`. */
  constructor(graceMs: number, due: (key: string, value: V) => void) {
    this.#graceMs = graceMs;
    this.#due = due;
  }

  /** How long a departure waits. */
  get graceMs(): number {
    return this.#graceMs;
  }

  /**
   * Starts a departure's grace, in place of one still waiting under `key`.
   * When it is due it stays here: `due` takes it, or finds it taken back.
   */
  wait(key: string, value: V): void {
    this.take(key);
    const timer = setTimeout(() => this.#due(key, value), this.#graceMs);
    this.#waiting.set(key, { value, timer });
  }

  /** The departure waiting under `key`, if any. */
  get(key: string): V | undefined {
    return this.#waiting.get(key)?.value;
  }

  /** Takes back the departure waiting under `key`: its value, or undefined when none waits. */
  take(key: string): V | undefined {
    const waiting = this.#waiting.get(key);
    if (!waiting) return undefined;
    clearTimeout(waiting.timer);
    this.#waiting.delete(key);
    return waiting.value;
  }

  /** Every departure still waiting, for a stopping node to tell them now. */
  all(): [key: string, value: V][] {
    return [...this.#waiting].map(([key, { value }]) => [key, value]);
  }
}
