/**
 * The app's events: each message stored, edited, deleted or reacted to, and
 * each chat created or changed, becomes an event for the app's backend, queued
 * after the store and sent with retries (`RetryingWorker`). Never in the way of
 * a send: the message is stored and acknowledged whatever the webhook does,
 * and an event that fails to queue or to send is logged and counted, and the
 * app reads what it missed from history.
 * @module
 */
import {
  type AppChatEventType,
  type AppChatView,
  type AppEvent,
  AppEventTypes,
  type AppMessageEventType,
} from "../protocol/mod.ts";
import type { JobQueue, JobSender, Logger, Metrics } from "./ports.ts";
import type { ChatRecord, MessageRecord } from "./types.ts";
import { toChatUpdatedEvent, toMessageView } from "./views.ts";
import { RetryingWorker, type RetryOptions } from "./_retrying_worker.ts";

/** What the service is built with. */
export interface AppEventDeps {
  queue: JobQueue<AppEvent>;
  sender: JobSender<AppEvent>;
  logger: Logger;
  metrics: Metrics;
}

/** What changed in a chat, for its event. */
export interface ChatChange {
  type: AppChatEventType;
  /** Who made the change; absent when the server did. */
  actorId?: string;
  /** The member added or removed. */
  userId?: string;
}

/** Queues the app's events and runs the worker that sends them. */
export class AppEventService {
  #worker: RetryingWorker<AppEvent>;

  /** Creates the service; `start()` runs its worker on this node. */
  constructor(deps: AppEventDeps, options: RetryOptions) {
    this.#worker = new RetryingWorker({
      ...deps,
      what: "app event",
      counters: { sent: "eventsSent", dropped: "eventsDropped" },
      describe: (event) => ({ eventId: event.id }),
    }, options);
  }

  /** Starts the worker on this node. */
  start(): Promise<void> {
    return this.#worker.start();
  }

  /**
   * Queues the event of `type` for `message` as it is now; never throws. The id
   * is the same each time one state of a message is queued (a sender's retry
   * queues its message's creation again, in case a crash lost it the first time).
   */
  publishMessage(type: AppMessageEventType, message: MessageRecord): Promise<void> {
    const created = type === AppEventTypes.messageCreated;
    return this.#worker.publish({
      id: `evt_${message.id}_${created ? 0 : message.changeSeq ?? 0}`,
      type,
      timestamp: new Date().toISOString(),
      data: {
        message: toMessageView(message, created),
        ...(created && { recipientIds: message.recipientIds }),
      },
    });
  }

  /**
   * Queues the event of a change to `chat`, as it is after it; never throws.
   * Each event has an id of its own: a request that changed nothing, racing
   * one that did, may queue one at the same version, which is not the same event.
   */
  publishChat(chat: ChatRecord, change: ChatChange): Promise<void> {
    const { type, actorId, userId } = change;
    return this.#worker.publish({
      id: `evt_${crypto.randomUUID()}`,
      type,
      timestamp: new Date().toISOString(),
      data: { chat: toAppChatView(chat), ...(actorId && { actorId }), ...(userId && { userId }) },
    });
  }

  /**
   * Queues the event of an account's deletion, begun at `deletedAt`; never
   * throws. Its id is the same each time the deletion is finished again.
   */
  publishUserDeleted(userId: string, deletedAt: string): Promise<void> {
    return this.#worker.publish({
      id: `evt_${userId}_deleted`,
      type: AppEventTypes.userDeleted,
      timestamp: deletedAt,
      data: { userId },
    });
  }

  /** Stops retrying; queued events stay in a durable queue. */
  close(): Promise<void> {
    return this.#worker.close();
  }
}

// What every member sees of a chat alike: the `chat:updated` payload, with what the chat is.
function toAppChatView(chat: ChatRecord): AppChatView {
  const { chatId, ...now } = toChatUpdatedEvent(chat.id, chat);
  return {
    id: chatId,
    type: chat.type,
    createdBy: chat.createdBy,
    createdAt: chat.createdAt,
    ...now,
  };
}
