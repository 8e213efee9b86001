/**
 * Records as the core keeps them in the store. Views for clients are built from
 * them in `views.ts`.
 * @module
 */
import type {
  AttachmentView,
  GroupPermissions,
  ReportResolution,
  ReportView,
} from "../protocol/mod.ts";

/** A user as stored, with the password hash. */
export interface UserRecord {
  id: string;
  username: string;
  email: string;
  displayName: string;
  avatar?: string;
  passwordHash: string;
  createdAt: string;
  /** Set when the user's last device disconnects. */
  lastSeen?: string;
  /** Set while the user hides being online and their last seen from everyone. */
  hidePresence?: true;
  /**
   * Set by each password change and "log out everywhere": which tokens still
   * count (`TokenClaims.generation`).
   */
  tokens?: TokenGeneration;
  /**
   * Set when the user asked to delete the account. While the deletion runs only
   * the asking login's tokens count; once done the record is a tombstone (see
   * `UserStore.erase`) that keeps the user's messages attributable.
   */
  deletedAt?: string;
  /**
   * Set by the operators (`ModerationService.suspend`): while set, the user
   * cannot log in and no token of theirs counts. Lifting it clears it.
   */
  suspension?: Suspension;
}

/** Why and since when the operators suspended a user. */
export interface Suspension {
  /** The operators' words; the user is only told that the account is suspended. */
  reason: string;
  suspendedAt: string;
}

/**
 * A user's current token generation: tokens of an older one are refused, except
 * those of the login that changed the password (`keptSessionId`; none after
 * "log out everywhere").
 */
export interface TokenGeneration {
  current: number;
  keptSessionId?: string;
}

/**
 * The recipients a message addresses: those it mentions and the author of the
 * message it replies to (their push goes through a mute, and their chat counts
 * it among `unreadMentions`). Never its sender, nor anyone no longer in the chat.
 */
export function addressedBy(
  message: Pick<MessageRecord, "mentions" | "replyTo" | "recipientIds">,
): string[] {
  if (!message.mentions && !message.replyTo) return []; // most messages: nothing to build
  const addressed = new Set(message.mentions);
  if (message.replyTo) addressed.add(message.replyTo.senderId);
  return message.recipientIds.filter((id) => addressed.has(id));
}

/**
 * Whether a password change or "log out everywhere" ended a login: it was made
 * at an older token generation than the user's, and is not the login that made
 * the change (`keptSessionId`).
 */
export function endedByGeneration(
  user: Pick<UserRecord, "tokens">,
  login: { sid: string; generation: number },
): boolean {
  return login.generation < generationOf(user) && login.sid !== user.tokens?.keptSessionId;
}

/** The generation a user's new tokens carry: 0 until the first password change or logout everywhere. */
export function generationOf(user: Pick<UserRecord, "tokens">): number {
  return user.tokens?.current ?? 0;
}

/** A chat as stored. `lastSeq` is the sequence number of its newest message. */
export interface ChatRecord {
  id: string;
  type: "direct" | "group";
  name?: string;
  /** Groups: what the group is about, and its picture's URL (absent when none). */
  description?: string;
  avatar?: string;
  participantIds: string[];
  createdAt: string;
  createdBy: string;
  lastSeq: number;
  /** Time of the newest message, or of creation; orders the chat list. */
  lastActivityAt: string;
  /**
   * Direct chats only: the participants who blocked the other. While anyone
   * has, nobody sends to the chat (absent when nobody has).
   */
  blockedBy?: string[];
  /** Ids of the messages pinned in the chat, the latest pin first (absent when none). */
  pinned?: string[];
  /**
   * Groups: the owner it was handed to (`ownerOf` reads the owner). Absent
   * before any handover, and again once the owner leaves.
   */
  ownerId?: string;
  /** Groups: the participants made admins, in the order they were (absent when none). */
  admins?: string[];
  /** Groups: the permissions set (absent, or a key absent: every member's). */
  permissions?: Partial<GroupPermissions>;
}

/** One user's place in one chat. */
export interface MembershipRecord {
  chatId: string;
  userId: string;
  /** The chat's last seq when the user joined: history starts after it. */
  joinedSeq?: number;
  /** Messages up to this seq count as read by the user (a watermark). */
  readSeq: number;
  /** The user's own messages after `readSeq`, so unread = lastSeq - readSeq - ownAfterRead. */
  ownAfterRead: number;
  /** Set while the user silences the chat's push notifications. */
  muted?: Mute;
  /** Set while the user keeps the chat out of their main list (it still gets messages). */
  archived?: true;
  /** When the user pinned the chat to the top of their list; absent when not pinned. */
  pinnedAt?: string;
  /**
   * The seq up to which the user cleared the chat's history for themselves:
   * what they list of it starts after it (see `historyStart`); absent when never.
   */
  clearedSeq?: number;
  /** Set while the user marked the chat unread to come back to it; reading it clears it. */
  markedUnread?: true;
}

/** A user's mute of a chat: until a time, or with no `until` until lifted. */
export interface Mute {
  until?: string;
}

/** A message as stored. */
export interface MessageRecord {
  id: string;
  clientMsgId: string;
  chatId: string;
  senderId: string;
  seq: number;
  content: string;
  createdAt: string;
  /** The participants other than the sender when it was sent. */
  recipientIds: string[];
  /** Set by an edit. */
  editedAt?: string;
  /** A tombstone: the content is gone from the store, the seq stays. */
  deleted?: boolean;
  /** Emoji to the ids of users who reacted with it. */
  reactions?: Record<string, string[]>;
  /**
   * Set by every edit, delete or reaction: the chat's change counter, which only
   * grows, so a device can ask for the changes after the last one it has seen.
   */
  changeSeq?: number;
  /** The earlier message of the chat this one replies to (`ReplyRef`). */
  replyTo?: { id: string; seq: number; senderId: string };
  /** Participants the sender mentioned: their push goes through a mute. */
  mentions?: string[];
  /** Forwarded: the sender sent on a message they could read, as it was. */
  forwarded?: true;
  /** Files sent with it; a delete removes them with the content. */
  attachments?: AttachmentView[];
}

/**
 * How many recipients a message has reached. A recipient removed from the chat
 * counts as done for both, so the aggregate status can still reach "delivered"
 * and "read" with the members who stay.
 */
export interface MessageCounts {
  delivered: number;
  read: number;
}

/** A stored message with its receipt counts. */
export interface StoredMessage extends MessageRecord {
  counts: MessageCounts;
}

/** Points at one message: enough to update its receipts without reading it. */
export interface MessageRef {
  chatId: string;
  seq: number;
  messageId: string;
  senderId: string;
}

/** A recipient receipt that changed state, reported back to the message's sender. */
export interface ReceiptChange extends MessageRef {
  userId: string;
  status: "delivered" | "read";
  at: string;
}

/**
 * Where one recipient of a message stands: "sent" while its pending entry is
 * there, then "delivered" (a device acknowledged), then "read" (the watermark).
 */
export interface RecipientStatus {
  userId: string;
  status: "sent" | "delivered" | "read";
}

/** A report as stored: what the operators are shown (`ReportView`). */
export type ReportRecord = ReportView;

/** A message a user starred, to find it again (`StarStore`). */
export interface StarRecord {
  /** Time-ordered: later stars have greater ids. */
  id: string;
  userId: string;
  messageId: string;
  starredAt: string;
}
/**
 * A group's invite link: whoever has its code may join the group while its
 * creator may still add members (`InviteStore`; one per group at most).
 */
export interface InviteRecord {
  chatId: string;
  /** 128 random bits in base64url: the link's secret. */
  code: string;
  createdBy: string;
  createdAt: string;
}
/** What the operators did about a report. */
export type { GroupPermissions, ReportResolution };
