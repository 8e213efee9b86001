/**
 * A typed event emitter small enough to ship to browsers.
 * @module
 */

/** Handlers by event name. */
// deno-lint-ignore no-explicit-any
export type Handlers = Record<string, (...args: any[]) => unknown>;

/** Subscribes handlers to typed events; `on` returns the way to unsubscribe. */
export class Emitter<E extends Handlers> {
  #handlers = new Map<keyof E, Set<E[keyof E]>>();

  /** Adds a handler; returns a function that removes it. */
  on<K extends keyof E>(event: K, handler: E[K]): () => void {
    let set = this.#handlers.get(event);
    if (!set) this.#handlers.set(event, set = new Set());
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Calls every handler of `event`, awaiting each; a throwing handler rejects the call. */
  async emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): Promise<void> {
    for (const handler of [...(this.#handlers.get(event) ?? [])]) await handler(...args);
  }

  /** Calls every handler, ignoring what they return or throw (for notifications). */
  notify<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    this.emit(event, ...args).catch(() => {});
  }
}
