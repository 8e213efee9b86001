/**
 * What the delivery service is built with, and how a message is sent.
 * @module
 */
import type { Logger, Metrics, Notifier, OfflineQueue, Presence, Store } from "./ports.ts";
import type { Limits } from "./limits.ts";
import type { PushService } from "./push.ts";
import type { AppEventService } from "./app_events.ts";
import type { ChatService } from "./chats.ts";
import type { FileService } from "./files.ts";

/** Options of the delivery service. */
export interface DeliveryOptions {
  maxMessageChars: number;
  /** Messages in flight per device during a drain. */
  window: number;
  /** Backlog entries read per store round trip. */
  pageSize: number;
}

/** How a message is sent. */
export interface SendOptions {
  /** The sending socket, which is not sent its own message back. */
  device?: string;
  /**
   * Whether the send counts against the sender's message limit (default true);
   * the app's backend acting as its user is not held to a person's limit.
   */
  limited?: boolean;
}

/** Adapters the delivery service uses. */
export interface DeliveryDeps {
  store: Store;
  queue: OfflineQueue;
  presence: Presence;
  notifier: Notifier;
  logger: Logger;
  metrics: Metrics;
  limits: Limits;
  /** Checks that a reader belongs to the chat. */
  chats: ChatService;
  /** Set when push notifications are configured. */
  push?: PushService;
  /** Set when the app's events webhook is configured. */
  events?: AppEventService;
  /** Claims the files a message names. */
  files: FileService;
}
