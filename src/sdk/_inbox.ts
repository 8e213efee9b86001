/**
 * Received messages, exactly once as the app sees them: the server delivers at
 * least once, so a message may come again (after a lost ack, a reconnect, or on
 * two paths at once). Each id runs the app's handlers once; the device acks only
 * after they succeeded, and a failure leaves the message pending on the server.
 * @module
 */
import type { MessageView } from "../protocol/objects.ts";
import { atLeast, trimOldest } from "../core/trim.ts";

/** Runs a handler once per message id and acks only what it handled. */
export class Inbox {
  #handle: (message: MessageView) => Promise<void>;
  #seen = new SeenIds();
  #handling = new Map<string, Promise<boolean>>();

  /** Creates the inbox; `handle` rejects when the app failed to take the message. */
  constructor(handle: (message: MessageView) => Promise<void>) {
    this.#handle = handle;
  }

  /** Handles a delivered message (unless handled before), then calls `ack`. */
  async receive(message: MessageView, ack?: () => void): Promise<void> {
    const id = message.id;
    if (this.#seen.has(id)) return ack?.();
    // A repeat while the first copy's handler still runs waits for that handler.
    let handled = this.#handling.get(id);
    if (!handled) {
      handled = this.#handle(message).then(() => true, () => false);
      this.#handling.set(id, handled);
    }
    const ok = await handled;
    this.#handling.delete(id);
    // A failed handler is not acknowledged: the server keeps it pending and sends it again.
    if (!ok) return;
    this.#seen.add(id);
    ack?.();
  }
}

// The last `size` ids handled, to drop repeats of at-least-once delivery.
class SeenIds {
  #ids = new Set<string>();
  #bound: { max: number; keep: number };

  /** Creates the window. */
  constructor(size = 10_000) {
    this.#bound = atLeast(size);
  }

  /** Whether the id was recorded. */
  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Records an id, forgetting the oldest beyond the window. */
  add(id: string): void {
    this.#ids.add(id);
    trimOldest(this.#ids, this.#bound);
  }
}
