/**
 * The storage ports: users, chats and messages. The store is the source of truth
 * for everything a client was told was stored.
 * @module
 */
import type {
  ChatRecord,
  GroupPermissions,
  MembershipRecord,
  MessageRecord,
  MessageRef,
  Mute,
  ReceiptChange,
  RecipientStatus,
  ReportRecord,
  ReportResolution,
  StarRecord,
  StoredMessage,
  UserRecord,
} from "./types.ts";

/** Users, friendships and revoked tokens. */
export interface UserStore {
  /** Adds a user; throws `ConflictError` when the username or email is taken. */
  create(user: UserRecord): Promise<void>;
  /** Reads one user. */
  get(id: string): Promise<UserRecord | null>;
  /** Reads many users; missing ids are left out. */
  getMany(ids: readonly string[]): Promise<UserRecord[]>;
  /** Finds a user by username or email, either case-insensitively. */
  findByLogin(login: string): Promise<UserRecord | null>;
  /**
   * Changes profile fields or `lastSeen`; returns the new record, null when
   * missing. With `options.generation`, only while the user's token generation
   * (`tokens.current`, 0 when unset) is that one, else throws `ConflictError`:
   * of two changes that raise it at once, one wins and the other is told. A
   * patch that sets `deletedAt` lists the user in `listDeletions` until `erase`.
   */
  update(
    id: string,
    patch: UserPatch,
    options?: { generation?: number },
  ): Promise<UserRecord | null>;
  /**
   * Ends an account: frees its username and email for new accounts and puts
   * `tombstone` (the same id, no login) in place of its record, so its messages
   * still name a sender. False when the user is missing.
   */
  erase(id: string, tombstone: UserRecord): Promise<boolean>;
  /**
   * The users marked deleted (`deletedAt`) and not erased yet: deletions in
   * progress, or cut short by a crash, for the server to finish.
   */
  listDeletions(): Promise<UserRecord[]>;
  /** Makes two users friends of each other (idempotent). */
  addFriendship(a: string, b: string): Promise<void>;
  /** Ends a friendship on both sides (idempotent). */
  removeFriendship(a: string, b: string): Promise<void>;
  /** Ids of a user's friends. */
  listFriends(userId: string): Promise<string[]>;
  /** Whether two users are friends. */
  areFriends(a: string, b: string): Promise<boolean>;
  /**
   * Blocks or unblocks `other` for `userId` (idempotent). A block also ends their
   * friendship. The pair's direct chat, if any, gets the change in its
   * `blockedBy` in the same step, so no send slips past it; returns that chat as
   * it is now, null when the pair has none.
   */
  setBlocked(userId: string, other: string, blocked: boolean): Promise<ChatRecord | null>;
  /** Whom a user blocked, and who blocked the user. */
  blocks(userId: string): Promise<UserBlocks>;
  /**
   * Refuses the tokens of a session id (`TokenClaims.sid`) from now until
   * `expiresAt`, when the last of them will have expired anyway.
   */
  revokeToken(tokenId: string, expiresAt: Date): Promise<void>;
  /** Whether a session id was revoked. */
  isTokenRevoked(tokenId: string): Promise<boolean>;
}

/** Which page of reports `ReportStore.list` reads. */
export interface ReportListOptions {
  limit: number;
  /** Only reports with ids below this one. */
  before?: string;
  /** Only reports of this user. */
  userId?: string;
  /** Only reports not resolved yet (`open`), or only resolved ones. */
  status?: "open" | "resolved";
}

/** Reports of users and their messages, kept for the operators. */
export interface ReportStore {
  /**
   * Adds a report unless its reporter already reported the same user and message
   * (or the user alone, when it names no message); returns the report stored.
   */
  add(report: ReportRecord): Promise<{ report: ReportRecord; created: boolean }>;
  /**
   * Up to `limit` reports, newest first, with ids below `before` when given;
   * with `userId`, only the reports of that user; with `status`, only open or
   * only resolved ones.
   */
  list(options: ReportListOptions): Promise<ReportRecord[]>;
  /** Sets (or replaces) a report's resolution; returns the report, null when missing. */
  resolve(id: string, resolution: ReportResolution): Promise<ReportRecord | null>;
}

/** Each user's starred messages. */
export interface StarStore {
  /** Stars a message for its user, unless they starred it already; returns the star kept. */
  add(star: StarRecord): Promise<StarRecord>;
  /** Unstars a message for a user; idempotent. */
  remove(userId: string, messageId: string): Promise<void>;
  /** Up to `limit` of a user's stars, the latest first, with ids below `before` when given. */
  list(userId: string, options: { limit: number; before?: string }): Promise<StarRecord[]>;
  /** Drops every star of a user (their account is being deleted). */
  removeAll(userId: string): Promise<void>;
}

/** A user's blocks in both directions (see `UserStore.setBlocked`). */
export interface UserBlocks {
  /** Users this user blocked. */
  blocked: string[];
  /** Users who blocked this user. */
  blockedBy: string[];
}

/** A chat with the reader's membership in it. */
export interface ChatWithMembership {
  chat: ChatRecord;
  membership: MembershipRecord;
}

/** The fields of a user that change after registration. */
export type UserPatch = Partial<
  Pick<
    UserRecord,
    "displayName" | "avatar" | "lastSeen" | "passwordHash" | "tokens" | "deletedAt" | "suspension"
  >
>;

/** Chats and memberships. */
export interface ChatStore {
  /** Adds a group chat and a membership per participant. */
  createGroup(chat: ChatRecord): Promise<ChatRecord>;
  /**
   * Adds a direct chat unless the pair already has one; returns the pair's chat.
   * A new chat's `blockedBy` holds whoever of the pair blocked the other.
   */
  createDirect(chat: ChatRecord): Promise<{ chat: ChatRecord; created: boolean }>;
  /** Reads one chat. */
  get(chatId: string): Promise<ChatRecord | null>;
  /** Reads a user's membership in a chat, null when not a member. */
  getMembership(chatId: string, userId: string): Promise<MembershipRecord | null>;
  /**
   * Sets or (with no `muted`) clears a member's mute of the chat, leaving the
   * rest of the membership as it is; null when the user is not a member.
   */
  setMuted(chatId: string, userId: string, muted?: Mute): Promise<MembershipRecord | null>;
  /** Pins the chat to the top of a member's list (at `pinnedAt`) or unpins it, as `setMuted`. */
  setPinnedAt(
    chatId: string,
    userId: string,
    pinnedAt: string | undefined,
  ): Promise<MembershipRecord | null>;
  /** Archives the chat for a member or unarchives it, as `setMuted` sets a mute. */
  setArchived(
    chatId: string,
    userId: string,
    archived: boolean,
  ): Promise<MembershipRecord | null>;
  /** Every chat a user is in, in no particular order. */
  listForUser(userId: string): Promise<ChatWithMembership[]>;
  /** Adds a participant whose history starts at the chat's current seq; idempotent. */
  addMember(chatId: string, userId: string): Promise<ChatRecord | null>;
  /**
   * Removes a participant with their membership and pending entries in the chat,
   * so nothing more of it reaches them; idempotent. Their receipts not yet read
   * are dropped and counted as done in the messages' counts (see `MessageCounts`).
   * Their roles go with them: out of `admins`; if they owned the group
   * (`ownerOf`), their first admin is its owner now (`ownerId`), else its
   * longest-standing participant (no `ownerId`).
   */
  removeMember(chatId: string, userId: string): Promise<ChatRecord | null>;
  /** Sets a group's name; returns the chat as it is now, null when missing. */
  rename(chatId: string, name: string): Promise<ChatRecord | null>;
  /**
   * Pins a message in the chat (first in `pinned`) or unpins it; idempotent.
   * Returns the chat as it is now, null when missing; throws `ConflictError`
   * when pinning would make more than `max` pins.
   */
  setPinned(
    chatId: string,
    messageId: string,
    options: { pinned: boolean; max: number },
  ): Promise<ChatRecord | null>;
  /**
   * Makes a participant an admin of the group (last in `admins`) or no longer
   * one; idempotent. Returns the chat as it is now (unchanged when the user is
   * not a participant), null when missing.
   */
  setAdmin(chatId: string, userId: string, admin: boolean): Promise<ChatRecord | null>;
  /**
   * Hands the group to the participant `to` (`ownerId`, and out of `admins`)
   * and makes the owner until now, `from`, an admin. Returns the chat as it is
   * now (unchanged when `to` is not a participant), null when missing.
   */
  setOwner(chatId: string, handover: { from: string; to: string }): Promise<ChatRecord | null>;
  /**
   * Sets the named permissions of a group, leaving the others as they are;
   * returns the chat as it is now, null when missing.
   */
  setPermissions(chatId: string, change: Partial<GroupPermissions>): Promise<ChatRecord | null>;
}

/** A message to append: the store allocates `seq` and the recipients. */
export type NewMessage = Omit<MessageRecord, "seq" | "recipientIds">;

/** Where a reading of the pending index stopped. */
export interface PendingCursor {
  chatId: string;
  seq: number;
}

/** Which page of a chat's messages `MessageStore.history` reads. */
export interface HistoryOptions {
  /** Only messages below this seq. */
  beforeSeq?: number;
  /** Only messages above this seq, oldest first. */
  afterSeq?: number;
  limit: number;
}

/** Which page of a chat's changed messages `MessageStore.changes` reads. */
export interface ChangesOptions {
  /** Only messages whose last change came after this one. */
  afterChangeSeq: number;
  limit: number;
}

/**
 * One entry of `MessageStore.changes`. `changeSeq` is where the read found the
 * message: the next page starts after it. The message may have changed again
 * since, so its own `changeSeq` can be higher.
 */
export interface ChangedMessage {
  changeSeq: number;
  message: StoredMessage;
}

/** Messages, their receipts and each user's pending index. */
export interface MessageStore {
  /**
   * Stores a message with the chat's next `seq`, a receipt and a pending entry per
   * recipient, in one atomic step. The same `(senderId, clientMsgId)` returns the
   * stored message with `created: false`. Throws `AccessError` when the chat is
   * missing, the sender is not a participant or nobody may write to the chat
   * (a block or a deleted partner; see `writeRefusal`), `ConflictError` when the
   * `clientMsgId` was used in another chat.
   */
  append(message: NewMessage): Promise<{ message: MessageRecord; created: boolean }>;
  /** Reads one message by id. */
  get(messageId: string): Promise<StoredMessage | null>;
  /** Reads the message a sender stored with `clientMsgId`, in whatever chat; null when none. */
  getByClientMsgId(senderId: string, clientMsgId: string): Promise<StoredMessage | null>;
  /**
   * Replaces a message with `change(current)` atomically (retrying `change` if a
   * concurrent update won); `change` may throw to refuse. Null when missing.
   * The stored message gets the chat's next `changeSeq`, and a change committed
   * later never gets a lower one.
   */
  updateMessage(
    messageId: string,
    change: (current: MessageRecord) => MessageRecord | Promise<MessageRecord>,
  ): Promise<StoredMessage | null>;
  /** Reads messages of a chat by seq; missing ones are left out. */
  getBySeq(chatId: string, seqs: readonly number[]): Promise<StoredMessage[]>;
  /**
   * A page of a chat's messages with seq between `afterSeq` and `beforeSeq` (both
   * left out): the newest of them first, or the oldest first when `afterSeq` is
   * given (a device catching up from the last seq it has).
   */
  history(chatId: string, options: HistoryOptions): Promise<StoredMessage[]>;
  /**
   * The chat's messages changed after `afterChangeSeq`, in the order of their last
   * change, each once and as it is now. A page ends short of `limit` only when it
   * is the last.
   */
  changes(chatId: string, options: ChangesOptions): Promise<ChangedMessage[]>;
  /** The chat's highest `changeSeq` so far; 0 when nothing of it was ever changed. */
  lastChangeSeq(chatId: string): Promise<number>;
  /** A user's undelivered messages in (chatId, seq) order, after `after`. */
  listPending(
    userId: string,
    options: { after?: PendingCursor; limit: number },
  ): Promise<MessageRecord[]>;
  /**
   * Undelivered messages per user, for metrics: reads at most `limit` pending
   * entries, so a huge backlog is counted in part rather than stalling a scrape.
   */
  pendingCounts(
    options: { limit: number },
  ): Promise<{ counts: Map<string, number>; complete: boolean }>;
  /**
   * Where each of a message's recipients stands, in `recipientIds` order. A
   * recipient removed from the chat since may be reported as anything: callers
   * leave them out.
   */
  recipientStatuses(message: MessageRecord): Promise<RecipientStatus[]>;
  /** Marks messages delivered to a user; returns only the receipts that changed. */
  markDelivered(userId: string, refs: readonly MessageRef[], at: string): Promise<ReceiptChange[]>;
  /**
   * Moves a user's read watermark in a chat up to `upToSeq` (clamped to the last
   * seq) and marks the messages of others below it read; returns the receipts
   * that changed.
   */
  markRead(userId: string, chatId: string, upToSeq: number, at: string): Promise<ReceiptChange[]>;
}

/** All of storage. */
export interface Store {
  users: UserStore;
  chats: ChatStore;
  messages: MessageStore;
  reports: ReportStore;
  stars: StarStore;
  /** Resolves when the store answers; rejects when it does not. */
  ping(): Promise<void>;
  /** Releases connections and files. */
  close(): Promise<void>;
}
