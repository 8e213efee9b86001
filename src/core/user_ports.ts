/**
 * The storage ports of users: accounts, friendships, blocks and revoked tokens,
 * reports of users, each user's starred messages and their logins.
 * @module
 */
import type {
  ChatRecord,
  ReportRecord,
  ReportResolution,
  StarRecord,
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

/** The fields of a user that change after registration. */
export type UserPatch = Partial<
  Pick<
    UserRecord,
    | "displayName"
    | "avatar"
    | "lastSeen"
    | "hidePresence"
    | "readReceipts"
    | "passwordHash"
    | "tokens"
    | "deletedAt"
    | "suspension"
  >
>;

/**
 * A user's login, as `GET /api/auth/sessions` lists it: made at login, kept
 * while a token of it lives.
 */
export interface SessionRecord {
  /** The login's id: `TokenClaims.sid` of each of its tokens. */
  id: string;
  userId: string;
  /** The user's token generation at the login (`TokenClaims.generation`). */
  generation: number;
  createdAt: string;
  /** The last refresh of its token, or connection of a socket with one. */
  lastActiveAt: string;
  /** When its newest token expires: the login is over then, unless refreshed. */
  expiresAt: string;
  /** The client's `User-Agent` at the login, if it sent one. */
  agent?: string;
}

/** Each user's logins, to list them and end one. */
export interface SessionStore {
  /** Records a login; it goes by itself after `expiresAt`. */
  add(session: SessionRecord): Promise<void>;
  /**
   * Moves a login's `lastActiveAt` and, after a refresh, `expiresAt`; answers
   * whether the login was there (nothing is written when it is gone).
   */
  touch(
    userId: string,
    id: string,
    change: Pick<SessionRecord, "lastActiveAt"> & Partial<Pick<SessionRecord, "expiresAt">>,
  ): Promise<boolean>;
  /** The user's logins not past `expiresAt`, in no particular order. */
  list(userId: string): Promise<SessionRecord[]>;
  /** Forgets a login; idempotent. */
  remove(userId: string, id: string): Promise<void>;
}
