/**
 * Payloads of the events the server emits (names in `events.ts`).
 * @module
 */
import type { GroupPermissions } from "./schemas.ts";

/** Payload of `message:status`: one recipient's tick, sent to the sender's devices. */
export interface MessageStatusEvent {
  messageId: string;
  chatId: string;
  userId: string;
  status: "delivered" | "read";
  at: string;
}

/** Payload of `message:edited`. */
export interface MessageEditedEvent {
  messageId: string;
  chatId: string;
  content: string;
  editedAt: string;
  /** The message's `changeSeq` now: drop an event older than the copy you hold. */
  changeSeq: number;
}

/** Payload of `message:deleted`. */
export interface MessageDeletedEvent {
  messageId: string;
  chatId: string;
  changeSeq: number;
}

/** Payload of `message:reactionUpdated`: every reaction of the message now. */
export interface MessageReactionEvent {
  messageId: string;
  chatId: string;
  reactions: Record<string, string[]>;
  changeSeq: number;
}

/**
 * Payload of `auth:expired`: the socket's token expired, and the server
 * disconnects it right after. Reconnect with a newer token, or renew before
 * expiry with `auth:renew` to stay connected.
 */
export interface AuthExpiredEvent {
  expiredAt: string;
}

/** Payload of `chat:read`: the user read a chat on another device. */
export interface ChatReadEvent {
  chatId: string;
  /** Everything of others up to this seq is read; keep the highest seen. */
  upToSeq: number;
  at: string;
}

/**
 * Payload of `message:starred` (an extension): the user starred or unstarred a
 * message, on this device or another, so every device shows the same.
 */
export interface MessageStarredEvent {
  messageId: string;
  starred: boolean;
  /** When it was starred; absent once unstarred. */
  starredAt?: string;
}

/**
 * Payload of `chat:preferences` (an extension): the user muted, archived,
 * pinned, cleared or marked unread a chat or undid one of those, on this device or another, so
 * every device shows the same. It carries every setting as it is now.
 */
export interface ChatPreferencesEvent {
  chatId: string;
  /** The mute now (see `ChatView.muted`); absent when not muted. */
  muted?: { until?: string };
  /** Present while the user archives the chat (see `ChatView.archived`). */
  archived?: true;
  /** Present while the user pins the chat to the top (see `ChatView.pinned`). */
  pinned?: true;
  /** Present once the user cleared the chat's history: drop the messages up to it. */
  clearedSeq?: number;
  /** Present while the user marks the chat unread (a `chat:read` clears it). */
  markedUnread?: true;
}

/**
 * Payload of `chat:updated` (an extension): a group's participants, name or
 * roles changed, or one side of a direct chat blocked or unblocked the other. It
 * reaches those in the chat now and a user just removed, whose id is then
 * missing.
 */
export interface ChatUpdatedEvent {
  chatId: string;
  participantIds: string[];
  /** The group's name as it is now. */
  name?: string;
  /** Groups: the description and the avatar now (see `ChatView`), absent when none. */
  description?: string;
  avatar?: string;
  /** Groups with members: the owner now (see `ChatView.ownerId`). */
  ownerId?: string;
  /** Groups with members: the admins now (see `ChatView.adminIds`). */
  adminIds?: string[];
  /** Groups with members: the permissions now (see `ChatView.permissions`). */
  permissions?: GroupPermissions;
  /** Direct chats: whether the chat is blocked now (see `ChatView.blocked`). */
  blocked?: boolean;
  /** Seconds each new message lasts now, absent when off (see `ChatView.messageTimer`). */
  messageTimer?: number;
  /** The chat's count of changes now (see `ChatView.version`): a lower one is stale. */
  version: number;
  /**
   * The chat's pinned messages now, the latest pin first; absent when none (see
   * `ChatView.pinnedMessageIds`).
   */
  pinnedMessageIds?: string[];
}

/**
 * Payload of `chat:activeUsers`, and of the ack of `chat:join` and `chat:leave`
 * without `chatId`: who has the chat open now, but for users who hide their presence.
 */
export interface ChatActiveUsersEvent {
  chatId: string;
  activeUserIds: string[];
}

/** Payload of `user:online`. */
export interface UserOnlineEvent {
  userId: string;
  at: string;
}

/** Payload of `user:offline`. */
export interface UserOfflineEvent {
  userId: string;
  lastSeen: string;
}
