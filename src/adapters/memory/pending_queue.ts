/**
 * The embedded offline queue: the store's own pending index. It holds nothing
 * itself, so there is no second copy to keep in step.
 * @module
 */
import type { MessageStore, OfflineQueue, PendingCursor } from "../../core/ports.ts";
import type { MessageRecord } from "../../core/types.ts";

/** An offline queue that reads the message store's pending index. */
export class PendingIndexQueue implements OfflineQueue {
  #messages: MessageStore;

  /** Creates the queue over a message store. */
  constructor(messages: MessageStore) {
    this.#messages = messages;
  }

  readonly keepsCopies = false;

  /** Nothing to do: the store wrote the pending entry with the message. */
  enqueue(_userId: string, _message: MessageRecord): Promise<void> {
    return Promise.resolve();
  }

  backlog(
    userId: string,
    options: { after?: PendingCursor; limit: number },
  ): Promise<MessageRecord[]> {
    return this.#messages.listPending(userId, options);
  }

  /** Nothing to do: marking delivered removed the pending entry. */
  settle(): Promise<void> {
    return Promise.resolve();
  }

  /** Nothing is held. */
  release(): Promise<void> {
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
