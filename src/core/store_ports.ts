/**
 * The storage ports of chats: chats, memberships, a member's own settings and
 * groups' invite links, and the whole `Store` (users in `user_ports.ts`, messages in
 * `message_ports.ts`). The store is the source of truth for everything a
 * client was told was stored.
 * @module
 */
import type {
  ChatRecord,
  GroupPermissions,
  InviteRecord,
  MembershipRecord,
  Mute,
} from "./types.ts";
import type { FileStore } from "./file_ports.ts";
import type { MessageStore } from "./message_ports.ts";
import type { ReportStore, SessionStore, StarStore, UserStore } from "./user_ports.ts";

/** A change of a group's profile: what is set changes, null removes. */
export interface GroupProfile {
  name?: string;
  description?: string | null;
  avatar?: string | null;
}

/** A chat with the reader's membership in it. */
export interface ChatWithMembership {
  chat: ChatRecord;
  membership: MembershipRecord;
}

/** The chat after `addMember`, and whether that call added the user. */
export interface AddedMember {
  chat: ChatRecord;
  added: boolean;
}

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
  /** Every chat a user is in, in no particular order. */
  listForUser(userId: string): Promise<ChatWithMembership[]>;
  /**
   * Adds a participant whose history starts at the chat's current seq; idempotent.
   * `added` says whether this call added them: of two racing adds, one did. Throws
   * `groupFullError` when the chat already holds `max` participants, checked as it adds.
   */
  addMember(chatId: string, userId: string, options: { max: number }): Promise<AddedMember | null>;
  /**
   * Removes a participant with their membership and pending entries in the chat,
   * so nothing more of it reaches them; idempotent. Their receipts not yet read
   * are dropped and counted as done in the messages' counts (see `MessageCounts`).
   * Their roles go with them: out of `admins`; if they owned the group
   * (`ownerOf`), their first admin is its owner now (`ownerId`), else its
   * longest-standing participant (no `ownerId`).
   */
  removeMember(chatId: string, userId: string): Promise<ChatRecord | null>;
  /**
   * Sets what is given of a group's name, description and avatar (null removes
   * one), leaving the rest of the chat as it is; returns the chat as it is now,
   * null when missing.
   */
  setProfile(chatId: string, profile: GroupProfile): Promise<ChatRecord | null>;
  /**
   * Sets how long the chat's new messages last (`messageTimer`, seconds), or
   * turns it off (null); returns the chat as it is now, null when missing.
   */
  setTimer(chatId: string, seconds: number | null): Promise<ChatRecord | null>;
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

/**
 * A member's own settings of a chat, kept on their membership. Sends and reads
 * rewrite the membership too: none of these may undo them, nor they these.
 */
export interface PreferenceStore {
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
  /**
   * Marks the chat unread for a member (`markedUnread`) or clears the mark, as
   * `setMuted` sets a mute. `MessageStore.markRead` clears it too.
   */
  setMarkedUnread(
    chatId: string,
    userId: string,
    marked: boolean,
  ): Promise<MembershipRecord | null>;
  /**
   * Raises a member's `clearedSeq` to `upToSeq`, never lowering it (two clears
   * at once keep the higher), as `setMuted` sets a mute.
   */
  setClearedSeq(
    chatId: string,
    userId: string,
    upToSeq: number,
  ): Promise<MembershipRecord | null>;
}

/**
 * Groups' invite links, at most one per group: a new one replaces the last,
 * whose code then finds nothing.
 */
export interface InviteStore {
  /** Sets the group's invite, replacing (and so revoking) the one before. */
  put(invite: InviteRecord): Promise<void>;
  /** The group's invite, null when it has none. */
  get(chatId: string): Promise<InviteRecord | null>;
  /** The invite with this code, null when there is none (never was, replaced or revoked). */
  find(code: string): Promise<InviteRecord | null>;
  /** Revokes the group's invite; idempotent. */
  remove(chatId: string): Promise<void>;
}

/** All of storage. */
export interface Store {
  users: UserStore;
  chats: ChatStore;
  messages: MessageStore;
  reports: ReportStore;
  stars: StarStore;
  preferences: PreferenceStore;
  invites: InviteStore;
  sessions: SessionStore;
  files: FileStore;
  /** Resolves when the store answers; rejects when it does not. */
  ping(): Promise<void>;
  /** Releases connections and files. */
  close(): Promise<void>;
}
