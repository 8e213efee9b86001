/**
 * The objects of protocol v1 as clients see them: messages, chats and their
 * pages (users and logins in `users.ts`, event payloads in `payloads.ts`, the
 * operators' objects in `reports.ts`).
 * @module
 */
import type { AttachmentView } from "./files.ts";
import type { GroupPermissions } from "./schemas.ts";

/** Delivery status of a message, aggregated over its recipients. */
export type MessageStatus = "sent" | "delivered" | "read";

/** A message. `seq` is 1, 2, 3, ... per chat with no gaps. */
export interface MessageView {
  id: string;
  clientMsgId: string;
  chatId: string;
  senderId: string;
  seq: number;
  content: string;
  createdAt: string;
  editedAt?: string;
  deleted?: boolean;
  reactions: Record<string, string[]>;
  /**
   * Set once the message was edited, deleted or reacted to: the chat's count of
   * such changes at its last one. Of two copies, the higher is the newer.
   */
  changeSeq?: number;
  /** Extension: the earlier message of the chat this one replies to. */
  replyTo?: ReplyRef;
  /** Extension: the participants the sender mentioned (user ids). */
  mentions?: string[];
  /** Extension: present when the sender forwarded this from another message. */
  forwarded?: true;
  /** Extension: files sent with the message (`POST /api/chats/:chatId/files`). */
  attachments?: AttachmentView[];
  /**
   * Extension: when a disappearing message goes (the chat's `messageTimer` when
   * it was sent): clients drop it then, and the server deletes it for everyone.
   */
  expiresAt?: string;
  status: MessageStatus;
  /** False when the message comes out of the offline backlog or history. */
  isNew: boolean;
}

/**
 * Extension: which message a reply quotes. Its content is not copied: a client
 * shows it from the copy it has (or reads it by `seq`), so an edit or a delete
 * of the quoted message shows in every reply too.
 */
export interface ReplyRef {
  id: string;
  seq: number;
  senderId: string;
}

/** One recipient's state of a message, from `GET /api/messages/:id/receipts`. */
export interface ReceiptView {
  userId: string;
  status: MessageStatus;
}

/** `GET /api/chats/:chatId/messages`: newest first; pass `nextBeforeSeq` for older ones. */
export interface HistoryPage {
  messages: MessageView[];
  /** Null on the last page. */
  nextBeforeSeq: number | null;
  /**
   * The chat's count of changes before the page was read: the page shows every
   * change up to it. Pass it to `/changes` later to learn of the ones after.
   */
  lastChangeSeq: number;
}

/** `GET /api/chats/:chatId/messages?afterSeq`: oldest first, for a device catching up. */
export interface HistoryAfterPage {
  messages: MessageView[];
  /** The `afterSeq` of the next page; null when nothing newer was stored. */
  nextAfterSeq: number | null;
  /** As in `HistoryPage`. */
  lastChangeSeq: number;
}

/**
 * `GET /api/chats/:chatId/changes`: the messages edited, deleted or reacted to
 * after `afterChangeSeq`, as they are now, in the order of their last change.
 */
export interface ChangesPage {
  messages: MessageView[];
  /** Keep it, and pass it as the next `afterChangeSeq`: this page covers the changes up to it. */
  lastChangeSeq: number;
  /** True when more changes follow: ask again with `lastChangeSeq`. */
  hasMore: boolean;
}

/**
 * Extension: `GET /api/chats/:chatId/search`, the matches newest first. A call
 * reads a bounded stretch of history: `nextBeforeSeq` is where it stopped (null
 * when it reached the start); pass it as `beforeSeq` for older matches.
 */
export interface SearchPage {
  messages: MessageView[];
  nextBeforeSeq: number | null;
}

/** Extension: a message the user starred, and when. */
export interface StarView {
  message: MessageView;
  starredAt: string;
}

/** Extension: a page of `GET /api/starred`; pass `nextCursor` as `cursor` for the next one. */
export interface StarredPage {
  /** The latest star first; stars of messages deleted since, or of chats left, are left out. */
  stars: StarView[];
  nextCursor: string | null;
}

/** A chat as one of its participants sees it. */
export interface ChatView {
  id: string;
  type: "direct" | "group";
  name?: string;
  /** Groups only (an extension): what the group is about, absent when none. */
  description?: string;
  /** Groups only (an extension): the URL of the group's picture, absent when none. */
  avatar?: string;
  /** In the order they joined. */
  participantIds: string[];
  /**
   * Groups only (an extension): the participant who names admins and removes
   * anyone: the creator, until they hand the group over or leave it (then its
   * first admin, else its longest-standing participant).
   */
  ownerId?: string;
  /**
   * Groups only (an extension): the participants the owner made admins, in that
   * order (empty when none); they remove members who have no role.
   */
  adminIds?: string[];
  /**
   * Groups only (an extension): who may add members (`add`) and rename the
   * group and pin (`edit`): `members` (everyone, the default) or `admins` (the
   * owner and admins).
   */
  permissions?: GroupPermissions;
  createdAt: string;
  lastMessage?: MessageView;
  unreadCount: number;
  /**
   * Groups only (an extension): how many of the unread messages address the
   * caller: mention them or reply to one of their messages (counted up to 100;
   * absent when none).
   */
  unreadMentions?: number;
  /**
   * Direct chats only (an extension): present and true while one participant
   * blocks the other; nobody can write to the chat then.
   */
  blocked?: true;
  /**
   * Extension: disappearing messages. While set, each new message lasts this
   * many seconds (`expiresAt`); absent when off.
   */
  messageTimer?: number;
  /** Extension: the chat's count of changes (not messages): of two copies, the higher is newer. */
  version: number;
  /**
   * Extension: present while the caller mutes the chat (no push notifications
   * for it), with `until` when the mute ends by itself.
   */
  muted?: { until?: string };
  /**
   * Extension: present while the caller keeps the chat archived, out of their
   * main list; it still gets messages and counts them unread.
   */
  archived?: true;
  /**
   * Extension: present while the caller keeps the chat pinned to the top of
   * their list (not to be confused with the messages pinned in it).
   */
  pinned?: true;
  /**
   * Extension: the messages pinned in the chat, the latest pin first (absent
   * when none); `GET /api/chats/:chatId/pins` reads them.
   */
  pinnedMessageIds?: string[];
  /**
   * Extension: present once the caller cleared the chat's history for
   * themselves: their history starts after this seq (`POST /api/chats/:chatId/clear`).
   */
  clearedSeq?: number;
  /**
   * Extension: present while the caller marked the chat unread to come back to
   * it (`PUT /api/chats/:chatId/unread`); reading the chat clears it.
   */
  markedUnread?: true;
}
