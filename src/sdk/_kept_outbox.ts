/**
 * The outbox's storage as the sender uses it, whether it answers at once
 * (`localStorage`) or with a promise (React Native's AsyncStorage, IndexedDB).
 *
 * A storage that answers at once is read and written at once, within `send()`,
 * as before. One that answers with a promise is written one save at a time,
 * and a change made meanwhile is saved next, as the entries stand then: an
 * older save never lands after a newer one. Nothing is saved while what is
 * kept is still being read, since that save would overwrite messages an
 * earlier run of the app left unsent. A storage that fails is reported
 * (`onError`), never thrown at `send()`: the message is still sent from memory.
 * @module
 */
import type { OutboxEntry, OutboxStorage } from "./outbox.ts";

/** Reads and writes an `OutboxStorage`, sync or async, in order. */
export class KeptOutbox {
  #storage: OutboxStorage;
  #onError: (error: unknown) => void;
  /** A save is running, or loads are: saves wait, and the latest entries go next. */
  #saving = false;
  #loading = 0;
  #next: OutboxEntry[] | undefined;
  /** Those waiting for every save so far to be kept (`kept()`). */
  #waiting: (() => void)[] = [];

  /** Wraps `storage`; `onError` hears each failed load or save. */
  constructor(storage: OutboxStorage, onError: (error: unknown) => void) {
    this.#storage = storage;
    this.#onError = onError;
  }

  /**
   * Reads what is kept and passes it to `take`: at once from a storage that
   * answers at once. Resolves once taken (or failed, which `take`s nothing).
   */
  load(take: (entries: OutboxEntry[]) => void): Promise<void> {
    let read: OutboxEntry[] | Promise<OutboxEntry[]>;
    try {
      read = this.#storage.load();
    } catch (error) {
      this.#onError(error);
      return Promise.resolve();
    }
    if (!isThenable(read)) {
      take(this.#list(read));
      return Promise.resolve();
    }
    // Saves wait for the read; `take` saves the entries merged, if there is anything to add.
    this.#loading++;
    return Promise.resolve(read).then((entries) => take(this.#list(entries)), this.#onError)
      .finally(() => {
        this.#loading--;
        this.#saveNext();
      });
  }

  /** Keeps `entries` (copied: the caller goes on changing its list). */
  save(entries: readonly OutboxEntry[]): void {
    if (this.#saving || this.#loading > 0) {
      this.#next = [...entries];
      return;
    }
    let written: void | Promise<void>;
    try {
      written = this.#storage.save([...entries]);
    } catch (error) {
      return this.#onError(error);
    }
    if (!isThenable(written)) return;
    this.#saving = true;
    Promise.resolve(written).catch(this.#onError).finally(() => {
      this.#saving = false;
      this.#saveNext();
    });
  }

  /**
   * Resolves once every save asked for so far is kept (or failed): at once for
   * a storage that answers at once.
   */
  kept(): Promise<void> {
    if (!this.#saving && !this.#next) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  // What a storage read, if it is a list (a value written by something else is not): else none.
  #list(entries: unknown): OutboxEntry[] {
    if (Array.isArray(entries)) return entries;
    this.#onError(new Error("Cannot load the outbox: the storage holds no list"));
    return [];
  }

  #saveNext(): void {
    const next = this.#next;
    if (next && !this.#saving && this.#loading === 0) {
      this.#next = undefined;
      this.save(next);
    }
    if (this.#saving || this.#next) return;
    for (const resolve of this.#waiting.splice(0)) resolve();
  }
}

/**
 * `outbox` with the entries `read` holds that it does not (and `skip` does not
 * name: answered or cancelled), put `first` or `last`; null when there are none.
 */
export function merged(
  outbox: readonly OutboxEntry[],
  read: readonly OutboxEntry[],
  { where, skip }: { where: "first" | "last"; skip: ReadonlySet<string> },
): OutboxEntry[] | null {
  const have = new Set(outbox.map((e) => e.clientMsgId));
  const more = read.filter((e) => !have.has(e.clientMsgId) && !skip.has(e.clientMsgId));
  if (more.length === 0) return null;
  return where === "first" ? [...more, ...outbox] : [...outbox, ...more];
}

// A promise, or any thenable a storage library answers with.
const isThenable = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof (value as PromiseLike<T> | undefined)?.then === "function";
