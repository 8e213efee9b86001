/**
 * Collections of the MongoDB store (their indexes are in _indexes.ts), and
 * documents as records.
 * @module
 */
import type { Binary, ClientSession, Collection, Db, MongoClient } from "mongodb";
import type {
  ChatRecord,
  InviteRecord,
  MembershipRecord,
  MessageRecord,
  ReportRecord,
  StarRecord,
  StoredMessage,
  UserRecord,
} from "../../core/types.ts";
import type { FileRecord, SessionRecord } from "../../core/ports.ts";

/** A user with lower-cased login fields for case-insensitive unique lookups. */
export type UserDoc = UserRecord & { _id: string; usernameLower: string; emailLower: string };
/**
 * A chat; direct chats carry `directKey` (the sorted pair) under a unique index,
 * and `lastChangeSeq` counts the edits, deletes and reactions of its messages.
 */
export type ChatDoc = ChatRecord & { _id: string; directKey?: string; lastChangeSeq?: number };
/** A direct chat's `directKey`: the pair's ids, sorted. */
export function directKeyOf(a: string, b: string): string {
  return [a, b].sort().join("|");
}

/** A chat document as a record; an emptied array (after `$pull`) is left out. */
export function chatRecord(doc: ChatDoc): ChatRecord {
  // $pull leaves empty arrays behind: a record has none, as in the other store.
  const { _id, directKey: _d, lastChangeSeq: _l, blockedBy, pinned, admins, ...chat } = doc;
  return {
    ...chat,
    ...(blockedBy?.length && { blockedBy }),
    ...(pinned?.length && { pinned }),
    ...(admins?.length && { admins }),
  };
}

/** A membership, keyed `chatId:userId`. */
export type MemberDoc = MembershipRecord & { _id: string };
/** A membership document as a record. */
export function memberRecord(doc: MemberDoc): MembershipRecord {
  const { _id, ...member } = doc;
  return member;
}
/** A message with its receipt counts. */
export type MessageDoc = MessageRecord & {
  _id: string;
  counts: { delivered: number; read: number };
};
/** A message document as a stored message, with its counts. */
export function stored(doc: MessageDoc): StoredMessage {
  const { _id, ...message } = doc;
  return message;
}

/** A message document as a record, without its counts. */
export function record(doc: MessageDoc): MessageRecord {
  const { _id, counts: _c, ...message } = doc;
  return message;
}

/** One recipient's receipt; `status: "pending"` entries are the pending index. */
export interface ReceiptDoc {
  _id: string;
  userId: string;
  chatId: string;
  seq: number;
  status: "pending" | "delivered" | "read";
  messageId: string;
  senderId: string;
  createdAt: string;
}

/** A receipt's `_id`: the append that writes it and the reads that find it must agree. */
export function receiptId(userId: string, chatId: string, seq: number): string {
  return `${userId}:${chatId}:${seq}`;
}

/** Every collection of the store. */
export interface Collections {
  users: Collection<UserDoc>;
  friends: Collection<{ _id: string; userId: string; friendId: string }>;
  /** `userId` blocked `blockedId`; keyed `userId:blockedId`. */
  blocks: Collection<{ _id: string; userId: string; blockedId: string }>;
  revoked: Collection<{ _id: string; expiresAt: Date }>;
  chats: Collection<ChatDoc>;
  members: Collection<MemberDoc>;
  messages: Collection<MessageDoc>;
  receipts: Collection<ReceiptDoc>;
  reports: Collection<ReportDoc>;
  stars: Collection<StarDoc>;
  invites: Collection<InviteDoc>;
  sessions: Collection<SessionDoc>;
  files: Collection<FileDoc>;
}

/**
 * A file with its bytes, keyed by its id (a document holds 16 MB: `MAX_FILE_BYTES`
 * stays under). For the sweep's two indexes: `unclaimed` until a message claims
 * it, then `unsent` and `claimedAt` until the sweep saw that message stored.
 */
export type FileDoc = FileRecord & {
  _id: string;
  data: Binary;
  unclaimed?: true;
  unsent?: true;
  claimedAt?: string;
};

/**
 * A login, keyed `userId:id`; `expires` is `expiresAt` as a date, for the TTL
 * index that drops it.
 */
export type SessionDoc = SessionRecord & { _id: string; expires: Date };

/** A group's invite, keyed by its chat id: one per group; `code` is unique. */
export type InviteDoc = InviteRecord & { _id: string };

/** A star, keyed `userId:messageId`, so a user stars a message once. */
export type StarDoc = StarRecord & { _id: string };

/** A report; `once` is `reporter:user:message` (message empty), unique. */
export type ReportDoc = ReportRecord & { _id: string; once: string };

/** The collections of a database. */
export function collections(db: Db): Collections {
  return {
    users: db.collection("users"),
    friends: db.collection("friends"),
    blocks: db.collection("blocks"),
    revoked: db.collection("revoked_tokens"),
    chats: db.collection("chats"),
    members: db.collection("memberships"),
    messages: db.collection("messages"),
    receipts: db.collection("receipts"),
    reports: db.collection("reports"),
    stars: db.collection("stars"),
    invites: db.collection("invites"),
    sessions: db.collection("sessions"),
    files: db.collection("files"),
  };
}

/** Users marked deleted and not erased yet: a tombstone's username is "". */
export const UNERASED = { deletedAt: { $exists: true }, username: { $gt: "" } };

/** Runs `work` in a transaction, retried by the driver on transient errors. */
export function transaction<T>(
  client: MongoClient,
  work: (session: ClientSession) => Promise<T>,
): Promise<T> {
  return client.withSession((session) => session.withTransaction(() => work(session)));
}
