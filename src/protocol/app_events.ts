/**
 * Extension: the events the server POSTs to the app's backend
 * (`EVENTS_WEBHOOK_URL`), signed as Standard Webhooks says. One event per
 * message stored, edited, deleted or reacted to, per chat created or changed,
 * in any chat, and per account deleted.
 * @module
 */
import type { MessageView } from "./objects.ts";
import type { ChatUpdatedEvent } from "./payloads.ts";

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
  /** A group was created, or a direct chat between two users who had none. */
  chatCreated: "chat.created",
  /** A group's name, description, avatar, roles or permissions, a chat's pins, timer or block. */
  chatUpdated: "chat.updated",
  /** A user was added to a group, or joined it by an invite link. */
  chatMemberAdded: "chat.member_added",
  /** A member left a group, was removed, or deleted their account (from direct chats too). */
  chatMemberRemoved: "chat.member_removed",
  /** An account was deleted, by its user, the operators or the app's backend. */
  userDeleted: "user.deleted",
} as const;

/** One of `AppEventTypes`. */
export type AppEventType = typeof AppEventTypes[keyof typeof AppEventTypes];

/** The types of the events about a message. */
export type AppMessageEventType = Extract<AppEventType, `message.${string}`>;

/** The types of the events about a chat. */
export type AppChatEventType = Extract<AppEventType, `chat.${string}`>;

/**
 * A chat as the app's events show it: what every member sees alike (the
 * `chat:updated` payload, see `ChatView` for each field), with no one's unread
 * count or preferences.
 */
export interface AppChatView extends Omit<ChatUpdatedEvent, "chatId"> {
  id: string;
  type: "direct" | "group";
  /** Who created it. */
  createdBy: string;
  createdAt: string;
}

/**
 * The body of one POST. `id` is also the `webhook-id` header, the same on every
 * attempt: a receiver that saw it already answers 2xx and does nothing. Events
 * may arrive out of order (retries, several workers): a message's `changeSeq`
 * says which of two copies is newer, its `seq` where it goes in its chat, and
 * a chat's `version` which of two copies of it is.
 */
export type AppEvent = AppMessageEvent | AppChatEvent | AppUserEvent;

/** An event about a message. */
export interface AppMessageEvent {
  id: string;
  type: AppMessageEventType;
  /** When the event happened (ISO 8601). */
  timestamp: string;
  data: {
    /** The message as it is after the event (a deleted one has no content). */
    message: MessageView;
    /** Who the message is for: on `message.created` only, the chat's other members then. */
    recipientIds?: string[];
  };
}

/**
 * An event about a chat. Of two events about one chat, the one whose
 * `chat.version` is higher shows it newer. A request that changes nothing
 * sends none.
 */
export interface AppChatEvent {
  id: string;
  type: AppChatEventType;
  /** When the event happened (ISO 8601). */
  timestamp: string;
  data: {
    /** The chat as it is after the event. */
    chat: AppChatView;
    /** Who made the change; absent when the server did (an account deleted, a pin dropped). */
    actorId?: string;
    /** On `chat.member_added` and `chat.member_removed`: the member added or removed. */
    userId?: string;
  };
}

/**
 * An event about an account: its deletion, once its chats are left, before its
 * record is erased. A deletion finished again (a repeat, or the server's sweep
 * after a crash) sends it again with the same id.
 */
export interface AppUserEvent {
  id: string;
  type: typeof AppEventTypes.userDeleted;
  /** When the deletion began (ISO 8601), the same on a repeat. */
  timestamp: string;
  data: { userId: string };
}
