/**
 * Push notifications for recipients with no connected device. Best effort by
 * design: the message itself is already stored and waits in the backlog, so a
 * push that fails after its retries is logged, counted and dropped, and nothing about
 * pushing ever blocks or fails a send.
 * @module
 */
import type { PreferenceService } from "./preferences.ts";
import type { JobQueue, JobSender, Logger, Metrics, PushJob, Store } from "./ports.ts";
import { addressedBy, type MessageRecord } from "./types.ts";
import { RetryingWorker, type RetryOptions } from "./_retrying_worker.ts";

/** Retry policy of the push worker. */
export type PushOptions = RetryOptions;

/** Publishes push jobs and runs the worker that sends them with retries. */
export class PushService {
  #worker: RetryingWorker<PushJob>;
  #store: Store;
  #preferences: PreferenceService;

  /** Creates the service. */
  constructor(
    deps: {
      queue: JobQueue<PushJob>;
      sender: JobSender<PushJob>;
      store: Store;
      preferences: PreferenceService;
      logger: Logger;
      metrics: Metrics;
    },
    options: PushOptions,
  ) {
    this.#store = deps.store;
    this.#preferences = deps.preferences;
    this.#worker = new RetryingWorker({
      ...deps,
      what: "push notification",
      counters: { sent: "pushSent", dropped: "pushDropped" },
      describe: (job) => ({ messageId: job.messageId, recipientId: job.recipientId }),
    }, options);
  }

  /** Starts the worker on this node. */
  start(): Promise<void> {
    return this.#worker.start();
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
      // Each job the queue refuses is counted by the worker.
      await Promise.all(recipientIds.map((recipientId) =>
        this.#worker.publish({
          recipientId,
          chatId: message.chatId,
          messageId: message.id,
          senderName: sender?.displayName ?? "",
          preview,
          ...(mentioned.has(recipientId) && { mentioned: true as const }),
        })
      ));
    } catch (error) {
      // The recipients could not be read: each offline one may have missed a push.
      this.#worker.notQueued(offline.length, { messageId: message.id }, error);
    }
  }

  /** Stops retrying; queued jobs stay in a durable queue. */
  close(): Promise<void> {
    return this.#worker.close();
  }
}
