/**
 * At most one run per key and window, for what is sent whole on every change
 * (the list of who has a chat open): the first change goes at once, and the
 * changes within the window after it go as one more run at its end, with the
 * state as it is then. A single change is not delayed; a burst of them (a
 * node's sockets all coming back after a restart) costs two runs per window
 * instead of one per change.
 * @module
 */

interface Window {
  timer: ReturnType<typeof setTimeout>;
  /** A change came within the window: its end runs once more. */
  due: boolean;
}

/** Opens a window per key; runs `trailing` at a window's end when changes came within it. */
export class Throttle<K> {
  #everyMs: number;
  #trailing: (key: K) => Promise<void>;
  #windows = new Map<K, Window>();

  /** `trailing` runs at the end of a window that saw changes, and must not reject. */
  constructor(everyMs: number, trailing: (key: K) => Promise<void>) {
    this.#everyMs = everyMs;
    this.#trailing = trailing;
  }

  /**
   * A change of `key`: true when the caller goes ahead now (a window opens),
   * false when a window is open, whose end then runs `trailing`.
   */
  now(key: K): boolean {
    const window = this.#windows.get(key);
    if (window) window.due = true;
    else this.#open(key);
    return window === undefined;
  }

  /** Closes every window now and runs the trailing runs due (a node stopping). */
  async flush(): Promise<void> {
    const due = [...this.#windows].filter(([, w]) => w.due).map(([key]) => key);
    for (const window of this.#windows.values()) clearTimeout(window.timer);
    this.#windows.clear();
    await Promise.all(due.map((key) => this.#trailing(key)));
  }

  #open(key: K): void {
    this.#windows.set(key, {
      timer: setTimeout(() => this.#close(key), this.#everyMs),
      due: false,
    });
  }

  #close(key: K): void {
    const window = this.#windows.get(key);
    this.#windows.delete(key);
    if (!window?.due) return;
    // The trailing run is a change of its own: the next window starts with it.
    this.#open(key);
    this.#trailing(key);
  }
}
