/**
 * Helpers for the Deno KV adapter: key layout, batched reads and optimistic retries.
 * @module
 */
import { UnavailableError } from "../../core/errors.ts";

/** Every key the adapter writes, in one place so the layout can be read at a glance. */
export const keys = {
  user: (id: string) => ["users", id],
  /** Usernames cannot contain "@", so usernames and emails share one namespace. */
  login: (login: string) => ["logins", login.toLowerCase()],
  friend: (a: string, b: string) => ["friends", a, b],
  friends: (a: string) => ["friends", a],
  /** `a` blocked `b`; `blockedBy(b, a)` is the same block, listed from `b`'s side. */
  block: (a: string, b: string) => ["blocks", a, b],
  blocks: (a: string) => ["blocks", a],
  blockedBy: (b: string, a: string) => ["blocked_by", b, a],
  blockedBys: (b: string) => ["blocked_by", b],
  revoked: (tokenId: string) => ["revoked", tokenId],
  /** Reports under time-ordered ids, and the first report of each (reporter, user, message). */
  report: (id: string) => ["reports", id],
  reports: () => ["reports"],
  /** Each user's reports, by report id: the operators read them together. */
  reportAbout: (userId: string, id: string) => ["reports_about", userId, id],
  reportsAbout: (userId: string) => ["reports_about", userId],
  /** The reports not resolved yet, by report id: the operators' queue. */
  reportOpen: (id: string) => ["reports_open", id],
  reportsOpen: () => ["reports_open"],
  reportOnce: (
    reporterId: string,
    userId: string,
    messageId: string,
  ) => ["report_once", reporterId, userId, messageId],
  /** A user's star of a message (its star id), and their stars by star id, the order they list in. */
  star: (userId: string, messageId: string) => ["stars", userId, messageId],
  starred: (userId: string, starId: string) => ["starred", userId, starId],
  starredOf: (userId: string) => ["starred", userId],
  starsOf: (userId: string) => ["stars", userId],
  /** A user's logins, by login id. */
  session: (userId: string, id: string) => ["sessions", userId, id],
  sessions: (userId: string) => ["sessions", userId],
  /** A user marked deleted and not erased yet (see `UserStore.listDeletions`). */
  deletion: (id: string) => ["deletions", id],
  deletions: () => ["deletions"],
  chat: (id: string) => ["chats", id],
  /** A group's invite (the record), and the group of each live invite code. */
  chatInvite: (chatId: string) => ["chat_invites", chatId],
  invite: (code: string) => ["invites", code],
  /** Disappearing messages by when they go; the value is the message's id. */
  expiring: (
    expiresAt: string,
    chatId: string,
    seq: number,
  ) => ["expiring", expiresAt, chatId, seq],
  expirings: () => ["expiring"],
  /**
   * A file's record and its bytes in chunks; files not yet claimed by a message
   * by upload time (an upload in progress too), claimed files not yet seen sent
   * by claim time, and removals not finished.
   */
  file: (id: string) => ["files", id],
  fileChunk: (id: string, n: number) => ["file_chunks", id, n],
  fileChunks: (id: string) => ["file_chunks", id],
  unclaimedFile: (createdAt: string, id: string) => ["files_unclaimed", createdAt, id],
  unclaimedFiles: () => ["files_unclaimed"],
  claimedFile: (claimedAt: string, id: string) => ["files_claimed", claimedAt, id],
  claimedFiles: () => ["files_claimed"],
  droppedFile: (id: string) => ["files_dropped", id],
  droppedFiles: () => ["files_dropped"],
  direct: (a: string, b: string) => (a < b ? ["direct", a, b] : ["direct", b, a]),
  member: (chatId: string, userId: string) => ["members", chatId, userId],
  userChat: (userId: string, chatId: string) => ["user_chats", userId, chatId],
  userChats: (userId: string) => ["user_chats", userId],
  message: (chatId: string, seq: number) => ["msg", chatId, seq],
  messages: (chatId: string) => ["msg", chatId],
  messageId: (id: string) => ["msg_id", id],
  clientMsg: (senderId: string, clientMsgId: string) => ["client_msg", senderId, clientMsgId],
  clientMsgs: (senderId: string) => ["client_msg", senderId],
  /** The messages that address a user (`addressedBy`), per chat, by seq. */
  addressed: (userId: string, chatId: string, seq: number) => ["addressed", userId, chatId, seq],
  addressedIn: (userId: string, chatId: string) => ["addressed", userId, chatId],
  /** A chat's count of edits, deletes and reactions, and its log (changes.ts). */
  changeCounter: (chatId: string) => ["change_count", chatId],
  change: (chatId: string, changeSeq: number) => ["changes", chatId, changeSeq],
  changes: (chatId: string) => ["changes", chatId],
  /** A removed member whose receipts are still being settled (see _leaving.ts). */
  leaving: (chatId: string, userId: string) => ["leaving", chatId, userId],
  /**
   * The pending index: one entry per undelivered (recipient, chat, seq). With the
   * member's read watermark it is also each recipient's receipt (receipts.ts).
   */
  pending: (userId: string, chatId: string, seq: number) => ["pending", userId, chatId, seq],
  pendingOf: (userId: string) => ["pending", userId],
  pendingIndex: () => ["pending"],
  delivered: (chatId: string, seq: number) => ["count_d", chatId, seq],
  read: (chatId: string, seq: number) => ["count_r", chatId, seq],
} as const;

/** A pending entry's (recipient, chat, seq) as one string, for Maps and Sets; NUL never occurs in ids. */
export function pendingId(userId: string, chatId: string, seq: number): string {
  return `${userId}\0${chatId}\0${seq}`;
}

// Deno KV reads at most 10 keys per getMany.
const GET_MANY_LIMIT = 10;

/**
 * Receipts changed per commit: Deno KV allows 100 checks per atomic operation; a
 * pending entry takes one, and the watermark another.
 */
export const PER_COMMIT = 90;

/** The most entries Deno KV returns per list round trip. */
export const MAX_BATCH = 1000;

/** Reads any number of keys, ten per round trip, all chunks at once. */
export async function getAll<T>(kv: Deno.Kv, list: Deno.KvKey[]): Promise<Deno.KvEntryMaybe<T>[]> {
  const chunks: Deno.KvKey[][] = [];
  for (let i = 0; i < list.length; i += GET_MANY_LIMIT) {
    chunks.push(list.slice(i, i + GET_MANY_LIMIT));
  }
  const results = await Promise.all(chunks.map((chunk) => kv.getMany<T[]>(chunk)));
  return results.flat() as Deno.KvEntryMaybe<T>[];
}

const MAX_ATTEMPTS = 100;

/**
 * Runs an optimistic transaction until it commits: `attempt` returns a value when
 * done, or undefined when its atomic check failed because another writer won.
 * Backs off with jitter so contending writers spread out.
 */
export async function retry<T>(what: string, attempt: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const result = await attempt();
    if (result !== undefined) return result;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 1 + i * 2)));
  }
  throw new UnavailableError(`Cannot ${what}: the store is too busy`);
}

/**
 * Reads the value at `key`, applies `next` and writes the result under a check
 * on what was read, retrying when another write came between; null when the
 * key is missing, and no write when `next` returns the same value. Sends rewrite
 * chat and membership entries too: the check keeps either from undoing the other.
 */
export function changeEntry<T>(
  kv: Deno.Kv,
  what: string,
  key: Deno.KvKey,
  next: (value: T) => T,
): Promise<T | null> {
  return retry(what, async () => {
    const entry = await kv.get<T>(key);
    if (entry.value === null) return null;
    const changed = next(entry.value);
    if (changed === entry.value) return changed;
    const result = await kv.atomic().check(entry).set(key, changed).commit();
    return result.ok ? changed : undefined;
  });
}

/** Reads a KvU64 counter as a number (0 when missing). */
export function counter(entry: Deno.KvEntryMaybe<Deno.KvU64> | undefined): number {
  return entry?.value ? Number(entry.value.value) : 0;
}
