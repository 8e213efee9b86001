/**
 * Records as the core keeps them in the store: users, chats, memberships and
 * the rest here, messages and their receipts in `message_types.ts`. Views for
 * clients are built from them in `views.ts`.
 * @module
 */
import type { GroupPermissions, ReportResolution, ReportView } from "../protocol/mod.ts";

export type * from "./message_types.ts";
export { addressedBy, expiryOf } from "./message_types.ts";

/** A user as stored, with the password hash. */
export interface UserRecord {
  id: string;
  username: string;
  /** None for an account of the app's identity provider (`external`). */
  email?: string;
  displayName: string;
  avatar?: string;
  /** None for an account of the app's identity provider (`external`). */
  passwordHash?: string;
  createdAt: string;
  /**
   * Set on an account made by a login through the app's identity provider
   * (`ExternalAuthService`): its id is the provider's, and it has no password.
   */
  external?: true;
  /** Set when the user's last device disconnects. */
  lastSeen?: string;
  /** Set while the user hides being online and their last seen from everyone. */
  hidePresence?: true;
  /**
   * Set while the user sends no read receipts: what they read tells no sender,
   * and they see no reads of their own messages.
   */
  readReceipts?: false;
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

/** Whether a chat is as `before` showed it: no change counted since (`ChatRecord.version`). */
export function unchangedSince(before: ChatRecord, after: ChatRecord): boolean {
  return (after.version ?? 0) === (before.version ?? 0);
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
  /** Disappearing messages: seconds each new message lasts (absent when off). */
  messageTimer?: number;
  /**
   * How many times the chat changed since it was made (members, profile, roles,
   * permissions, pins, timer, block): absent or 0 at first, one more with each
   * change. Sends do not count: copies of a chat told apart by it stay small.
   */
  version?: number;
}

/** One user's place in one chat. */
export interface MembershipRecord {
  chatId: string;
  userId: string;
  /** The chat's last seq when the user joined: history starts after it. */
  joinedSeq?: number;
  /** Messages up to this seq count as read by the user (a watermark). */
  readSeq: number;
  /**
   * Set while the user read past it with read receipts off: senders see their
   * messages read up to here only (absent: up to `readSeq`).
   */
  receiptSeq?: number;
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
