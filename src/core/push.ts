/**
 * Push notifications for recipients with no connected device. Best effort by
 * design: the message itself is already stored and waits in the backlog, so a
 * push that fails after its retries is logged and dropped, and nothing about
 * pushing ever blocks or fails a send.
 * @module
 */
import type { PreferenceService } from "./preferences.ts";
import type { Logger, PushJob, PushQueue, PushSender, Store } from "./ports.ts";
import { addressedBy, type MessageRecord } from "./types.ts";

/** Retry policy of the push worker. */
export interface PushOptions {
  maxAttempts: number;
  /** Delay before the second attempt; doubles after each failure (with jitter). */
  retryBaseMs: number;
}

/** Publishes push jobs and runs the worker that sends them with retries. */
export class PushService {
  #queue: PushQueue;
  #sender: PushSender;
  #store: Store;
  #preferences: PreferenceService;
  #logger: Logger;
  #options: PushOptions;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #closed = false;

  /** Creates the service. */
  constructor(
    deps: {
      queue: PushQueue;
      sender: PushSender;
      store: Store;
      preferences: PreferenceService;
      logger: Logger;
    },
    options: PushOptions,
  ) {
    this.#queue = deps.queue;
    this.#sender = deps.sender;
    this.#store = deps.store;
    this.#preferences = deps.preferences;
    this.#logger = deps.logger;
    this.#options = options;
  }

  /** Starts the worker on this node. */
  start(): Promise<void> {
    return this.#queue.consume((job) => this.#deliver(job));
  }

  /**
   * Queues a notification per offline recipient who may log in (not suspended,
   * not deleted) and did not mute the chat, unless the message mentions them or
   * replies to them; never throws.
   */
  async notify(message: MessageRecord, offline: readonly string[]): Promise<void> {
    if (offline.length === 0) return;
    try {
      const [muted, users] = await Promise.all([
        this.#preferences.mutedAmong(message.chatId, offline),
        this.#store.users.getMany([message.senderId, ...offline]),
      ]);
      // A suspended user's phone shows nothing of what they cannot open.
      const active = new Set(users.filter((u) => !u.suspension && !u.deletedAt).map((u) => u.id));
      // A mention, or a reply to one's own message, goes through a mute: being
      // addressed is what a muted group must not hide.
      const mentioned = new Set(addressedBy(message));
      const recipientIds = offline.filter((id) =>
        active.has(id) && (!muted.has(id) || mentioned.has(id))
      );
      if (recipientIds.length === 0) return;
      const sender = users.find((u) => u.id === message.senderId);
      const preview = [...message.content].slice(0, 100).join("");
      await Promise.all(recipientIds.map((recipientId) =>
        this.#queue.publish({
          recipientId,
          chatId: message.chatId,
          messageId: message.id,
          senderName: sender?.displayName ?? "",
          preview,
          ...(mentioned.has(recipientId) && { mentioned: true as const }),
        })
      ));
    } catch (error) {
      this.#logger.warn("cannot queue push notification", {
        messageId: message.id,
        error: String(error),
      });
    }
  }

  /** Stops retrying; queued jobs stay in a durable queue. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.#queue.close();
  }

  async #deliver(job: PushJob): Promise<void> {
    for (let attempt = 1; attempt <= this.#options.maxAttempts && !this.#closed; attempt++) {
      try {
        await this.#sender.send(job);
        return;
      } catch (error) {
        if (attempt === this.#options.maxAttempts) {
          this.#logger.warn("push notification dropped after retries", {
            messageId: job.messageId,
            recipientId: job.recipientId,
            attempts: attempt,
            error: String(error),
          });
          return;
        }
        // Exponential backoff with jitter, so a provider that is down is not hammered in step.
        const delay = this.#options.retryBaseMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.#timers.delete(timer);
            resolve();
          }, delay);
          this.#timers.add(timer);
        });
      }
    }
  }
}
