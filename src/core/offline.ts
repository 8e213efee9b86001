/**
 * Copies of a new message for its recipients who are offline: one in each one's
 * offline queue (RabbitMQ, when configured) and a push notification. Both are
 * extras: the store's pending index already holds the message for every
 * recipient, so a failure here degrades delivery to that index and loses nothing.
 * @module
 */
import type { MessageRecord } from "./types.ts";
import type { Logger, OfflineQueue, Presence } from "./ports.ts";
import type { PushService } from "./push.ts";

/** Adapters the offline copies use; `push` is set when push notifications are configured. */
export interface OfflineDeps {
  queue: OfflineQueue;
  presence: Presence;
  logger: Logger;
  push?: PushService;
}

/** Queues and pushes copies of messages for offline recipients. */
export class OfflineCopies {
  #deps: OfflineDeps;
  #warnedAt = 0;
  #failures = 0;

  /** Creates the service over the queue, presence and (when configured) push. */
  constructor(deps: OfflineDeps) {
    this.#deps = deps;
  }

  /**
   * Copies `message` for its offline recipients. `isLocal` tells the recipients
   * connected to this node, who are online without asking presence.
   */
  async copy(message: MessageRecord, isLocal: (userId: string) => boolean): Promise<void> {
    // Without a queue of copies or push, who is offline changes nothing: skip the lookup.
    if (!this.#deps.queue.keepsCopies && !this.#deps.push) return;
    // With one node every recipient online is local: no presence round trip per send.
    const elsewhere = message.recipientIds.filter((id) => !isLocal(id));
    const online = elsewhere.length === 0
      ? new Set<string>()
      : await this.#deps.presence.online(elsewhere).catch(() => new Set<string>());
    const offline = elsewhere.filter((id) => !online.has(id));
    // Not awaited: a slow or failing push provider must never hold up the sender's ack.
    this.#deps.push?.notify(message, offline);
    await Promise.all(offline.map((id) => this.#deps.queue.enqueue(id, message)))
      .catch((error) => this.failed(error));
  }

  /** Records a failed queue operation; warns at most once per 10 s during an outage. */
  failed(error: unknown): void {
    this.#failures++;
    const now = Date.now();
    if (now - this.#warnedAt < 10_000) return;
    this.#deps.logger.warn("offline queue failed; the store's pending index covers it", {
      error: String(error),
      failures: this.#failures,
    });
    this.#warnedAt = now;
    this.#failures = 0;
  }
}
