/**
 * Extension: the events the server POSTs to the app's backend
 * (`EVENTS_WEBHOOK_URL`), signed as Standard Webhooks says. One event per
 * message stored, edited, deleted or reacted to, in any chat.
 * @module
 */
import type { MessageView } from "./objects.ts";

/** The types of the app's events. */
export const AppEventTypes = {
  /** A message was stored: sent over the socket, REST, or by the app as its user. */
  messageCreated: "message.created",
  /** Its sender changed its content. */
  messageEdited: "message.edited",
  /** Deleted by its sender, a group's admin, the operators, or its timer. */
  messageDeleted: "message.deleted",
  /** A reaction was added or taken back; `reactions` holds them all. */
  messageReacted: "message.reacted",
} as const;

/** One of `AppEventTypes`. */
export type AppEventType = typeof AppEventTypes[keyof typeof AppEventTypes];

/**
 * The body of one POST. `id` is also the `webhook-id` header, the same on every
 * attempt: a receiver that saw it already answers 2xx and does nothing. Events
 * may arrive out of order (retries, several workers): a message's `changeSeq`
 * says which of two copies is newer, its `seq` where it goes in its chat.
 */
export interface AppEvent {
  id: string;
  type: AppEventType;
  /** When the event happened (ISO 8601). */
  timestamp: string;
  data: {
    /** The message as it is after the event (a deleted one has no content). */
    message: MessageView;
    /** Who the message is for: on `message.created` only, the chat's other members then. */
    recipientIds?: string[];
  };
}
