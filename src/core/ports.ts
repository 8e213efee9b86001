/**
 * The ports: what the core needs from storage, presence, the offline queue, the
 * transport and the token signer. Adapters in `src/adapters/<tech>/` implement
 * them; `tests/contract/` holds one suite per port that every implementation runs.
 * @module
 */
import type { ServerEvent } from "../protocol/mod.ts";
import type {
  ChatRecord,
  MembershipRecord,
  MessageRecord,
  MessageRef,
  ReceiptChange,
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
  /** Changes profile fields or `lastSeen`; returns the new record, null when missing. */
  update(
    id: string,
    patch: Partial<Pick<UserRecord, "displayName" | "avatar" | "lastSeen">>,
  ): Promise<UserRecord | null>;
  /** Makes two users friends of each other (idempotent). */
  addFriendship(a: string, b: string): Promise<void>;
  /** Ends a friendship on both sides (idempotent). */
  removeFriendship(a: string, b: string): Promise<void>;
  /** Ids of a user's friends. */
  listFriends(userId: string): Promise<string[]>;
  /** Whether two users are friends. */
  areFriends(a: string, b: string): Promise<boolean>;
  /** Refuses a token id from now until it would have expired anyway. */
  revokeToken(tokenId: string, expiresAt: Date): Promise<void>;
  /** Whether a token id was revoked. */
  isTokenRevoked(tokenId: string): Promise<boolean>;
}

/** A chat with the reader's membership in it. */
export interface ChatWithMembership {
  chat: ChatRecord;
  membership: MembershipRecord;
}

/** Chats and memberships. */
export interface ChatStore {
  /** Adds a group chat and a membership per participant. */
  createGroup(chat: ChatRecord): Promise<ChatRecord>;
  /** Adds a direct chat unless the pair already has one; returns the pair's chat. */
  createDirect(chat: ChatRecord): Promise<{ chat: ChatRecord; created: boolean }>;
  /** Reads one chat. */
  get(chatId: string): Promise<ChatRecord | null>;
  /** Reads a user's membership in a chat, null when not a member. */
  getMembership(chatId: string, userId: string): Promise<MembershipRecord | null>;
  /** Every chat a user is in, in no particular order. */
  listForUser(userId: string): Promise<ChatWithMembership[]>;
  /** Adds a participant whose history starts at the chat's current seq; idempotent. */
  addMember(chatId: string, userId: string): Promise<ChatRecord | null>;
  /**
   * Removes a participant with their membership and pending entries in the chat,
   * so nothing more of it reaches them; idempotent.
   */
  removeMember(chatId: string, userId: string): Promise<ChatRecord | null>;
}

/** A message to append: the store allocates `seq` and the recipients. */
export type NewMessage = Omit<MessageRecord, "seq" | "recipientIds">;

/** Where a reading of the pending index stopped. */
export interface PendingCursor {
  chatId: string;
  seq: number;
}

/** Messages, their receipts and each user's pending index. */
export interface MessageStore {
  /**
   * Stores a message with the chat's next `seq`, a receipt and a pending entry per
   * recipient, in one atomic step. The same `(senderId, clientMsgId)` returns the
   * stored message with `created: false`. Throws `AccessError` when the chat is
   * missing or the sender is not a participant, `ConflictError` when the
   * `clientMsgId` was used in another chat.
   */
  append(message: NewMessage): Promise<{ message: MessageRecord; created: boolean }>;
  /** Reads one message by id. */
  get(messageId: string): Promise<StoredMessage | null>;
  /**
   * Replaces a message with `change(current)` atomically (retrying `change` if a
   * concurrent update won); `change` may throw to refuse. Null when missing.
   */
  updateMessage(
    messageId: string,
    change: (current: MessageRecord) => MessageRecord | Promise<MessageRecord>,
  ): Promise<StoredMessage | null>;
  /** Reads messages of a chat by seq; missing ones are left out. */
  getBySeq(chatId: string, seqs: readonly number[]): Promise<StoredMessage[]>;
  /** A page of a chat's messages, newest first, below `beforeSeq`. */
  history(chatId: string, options: { beforeSeq?: number; limit: number }): Promise<StoredMessage[]>;
  /** A user's undelivered messages in (chatId, seq) order, after `after`. */
  listPending(
    userId: string,
    options: { after?: PendingCursor; limit: number },
  ): Promise<MessageRecord[]>;
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
  /** Resolves when the store answers; rejects when it does not. */
  ping(): Promise<void>;
  /** Releases connections and files. */
  close(): Promise<void>;
}

/** Which users have a device connected, across every node. */
export interface Presence {
  /** Records a device; true when it is the user's first. */
  connect(userId: string, deviceId: string): Promise<boolean>;
  /** Forgets a device; true when it was the user's last. */
  disconnect(userId: string, deviceId: string): Promise<boolean>;
  /** The subset of `userIds` with at least one device connected. */
  online(userIds: readonly string[]): Promise<Set<string>>;
  /**
   * Forgets devices whose node stopped refreshing them (it died) and returns the
   * users left with no device. Each such user is returned by one call only, across nodes.
   */
  sweep(): Promise<string[]>;
  /** Resolves when presence answers. */
  ping(): Promise<void>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/**
 * The offline backlog. The store's pending index is the source of truth; a queue
 * adapter may hold a faster copy of it but must never be the only copy.
 */
export interface OfflineQueue {
  /** Queues a stored message for a recipient with no connected device. */
  enqueue(userId: string, message: MessageRecord): Promise<void>;
  /** The user's backlog in (chatId, seq) order after `after`. */
  backlog(
    userId: string,
    options: { after?: PendingCursor; limit: number },
  ): Promise<MessageRecord[]>;
  /** Tells the queue these messages reached a device of the user. */
  settle(userId: string, refs: readonly MessageRef[]): Promise<void>;
  /** This node has no session of the user left: return what it holds to the queue. */
  release(userId: string): Promise<void>;
  /** Resolves when the queue answers. */
  ping(): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** The transport, as the core sees it: events to users' devices on every node. */
export interface Notifier {
  /** Emits an event to every connected device of each user; fire and forget. */
  emit(userIds: readonly string[], event: ServerEvent, payload: unknown): void;
  /** Wakes the delivery sessions of these users on the other nodes. */
  ring(userIds: readonly string[]): void;
  /** Disconnects every socket that authenticated with this token id. */
  revokeToken(tokenId: string): void;
  /** Takes a user's sockets out of a chat's live room (they were removed from it). */
  leaveChat(userId: string, chatId: string): void;
}

/** Claims of an access token. */
export interface TokenClaims {
  sub: string;
  jti: string;
  exp: number;
}

/** Signs and verifies access tokens. */
export interface TokenSigner {
  /** Issues a token for a user. */
  sign(userId: string): Promise<{ token: string; claims: TokenClaims }>;
  /** Returns the claims of a valid, unexpired token; throws otherwise. */
  verify(token: string): Promise<TokenClaims>;
}

/** A push notification for a recipient with no connected device (the seed's FCM payload). */
export interface PushJob {
  recipientId: string;
  chatId: string;
  messageId: string;
  senderName: string;
  /** The first 100 characters of the content. */
  preview: string;
}

/** Hands push jobs to workers; a durable one keeps them across restarts. */
export interface PushQueue {
  /** Queues a job. */
  publish(job: PushJob): Promise<void>;
  /** Runs `handler` for each job; a job is done when the handler settles. */
  consume(handler: (job: PushJob) => Promise<void>): Promise<void>;
  /** Stops consuming and releases connections. */
  close(): Promise<void>;
}

/** Delivers one push notification to a provider (webhook, FCM, Web Push); throws on failure. */
export interface PushSender {
  send(job: PushJob): Promise<void>;
}

/** Encrypts content at rest; `context` (the message id) is bound to the ciphertext. */
export interface ContentCipher {
  encrypt(text: string, context: string): Promise<string>;
  decrypt(stored: string, context: string): Promise<string>;
}

/** Counts actions per key in a sliding window. */
export interface RateLimiter {
  /**
   * Counts one action under `key`; refused when `limit` actions were already
   * counted in the last `windowMs`, with how long until one expires.
   */
  take(
    key: string,
    limit: number,
    windowMs: number,
  ): Promise<{ ok: boolean; retryAfterMs: number }>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/** Structured log sink; fields become JSON keys. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** The counters and histograms the core reports. */
export interface Metrics {
  /** Adds to a counter. */
  count(name: "sent" | "delivered" | "read" | "reconnects" | "rateLimited", n?: number): void;
  /** Records seconds from a message's creation to its first device ack. */
  observeDeliveryLatency(seconds: number): void;
}
