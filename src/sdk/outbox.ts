/**
 * The client's outbox: messages the server has not yet acknowledged. Kept in a
 * storage that can outlive the page (localStorage in browsers), so a message
 * written while offline is sent when the client is next online, exactly once:
 * each entry keeps its `clientMsgId`, and the server stores a repeat only once.
 * @module
 */

/** A message waiting for the server's ack. */
export interface OutboxEntry {
  clientMsgId: string;
  chatId: string;
  content: string;
  /** When the user wrote it (ISO 8601), for showing it in place meanwhile. */
  createdAt: string;
}

/** Where the outbox is kept. */
export interface OutboxStorage {
  load(): OutboxEntry[];
  save(entries: readonly OutboxEntry[]): void;
}

/** An outbox that lives as long as the client object. */
export function memoryOutbox(): OutboxStorage {
  let entries: OutboxEntry[] = [];
  return {
    load: () => [...entries],
    save: (next) => void (entries = [...next]),
  };
}

/** An outbox in `localStorage` under `key` (one per user, so accounts never mix). */
export function localStorageOutbox(key: string): OutboxStorage {
  return {
    load() {
      try {
        return JSON.parse(globalThis.localStorage.getItem(key) ?? "[]");
      } catch {
        return [];
      }
    },
    save: (entries) => globalThis.localStorage.setItem(key, JSON.stringify(entries)),
  };
}

/** Remembers the last `size` ids seen, to drop repeats of at-least-once delivery. */
export class SeenIds {
  #ids = new Set<string>();
  #size: number;

  /** Creates the window. */
  constructor(size = 10_000) {
    this.#size = size;
  }

  /** Whether the id was recorded. */
  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Records an id, forgetting the oldest beyond the window. */
  add(id: string): void {
    this.#ids.add(id);
    // Sets iterate in insertion order: the first is the oldest.
    if (this.#ids.size > this.#size) this.#ids.delete(this.#ids.values().next().value!);
  }

  /** Forgets an id (its handler failed: the next copy must run it again). */
  delete(id: string): void {
    this.#ids.delete(id);
  }
}
