/**
 * The storage port of messages: appends with their seq, receipts, history and
 * the change log.
 * @module
 */
import type {
  MessageRecord,
  MessageRef,
  ReceiptChange,
  RecipientStatus,
  StoredMessage,
} from "./types.ts";

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
  /**
   * A page of the messages a user sent, in every chat, in no order that means
   * anything but a stable one; `cursor` (null on the last page) reads the next.
   * For a copy of the user's data: no client path pages through it.
   */
  listBySender(
    senderId: string,
    options: { cursor?: string; limit: number },
  ): Promise<{ messages: StoredMessage[]; cursor: string | null }>;
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
  /**
   * Up to `limit` ids of messages whose `expiresAt` is at or before `before`,
   * the earliest first. A message leaves this list when an update takes its
   * `expiresAt` away (a delete does).
   */
  listExpired(before: string, limit: number): Promise<string[]>;
  /**
   * How many of the chat's messages after `afterSeq` address `userId`
   * (`addressedBy`), counted up to `limit`.
   */
  countAddressed(
    userId: string,
    chatId: string,
    options: { afterSeq: number; limit: number },
  ): Promise<number>;
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
   * that changed. It clears the member's `markedUnread`, even with nothing new
   * to read: reading the chat is what the mark waits for.
   *
   * With `silent` (the user sends no read receipts) the messages count as read
   * for the user alone: still pending ones turn delivered, and senders see no
   * read (`receiptSeq` stays). A later read that is not silent tells the reads
   * held back, up to where it reads.
   */
  markRead(
    userId: string,
    chatId: string,
    upToSeq: number,
    options: { at: string; silent?: boolean },
  ): Promise<ReceiptChange[]>;
}
