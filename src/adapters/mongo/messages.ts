/**
 * Messages and the pending index in MongoDB: a send is append.ts's, receipts are
 * receipts.ts's, edits and the change log changes.ts's.
 * @module
 */
import type { MongoClient } from "mongodb";
import type {
  ChangedMessage,
  ChangesOptions,
  HistoryOptions,
  MessageStore,
  NewMessage,
  PendingCursor,
} from "../../core/ports.ts";
import {
  type MessageRecord,
  type MessageRef,
  type ReceiptChange,
  type RecipientStatus,
  type StoredMessage,
} from "../../core/types.ts";
import { type Collections, record, stored } from "./_collections.ts";
import { appendMessage } from "./append.ts";
import { lastChangeSeq, listChanges, updateMessage } from "./changes.ts";
import { MongoReceipts } from "./receipts.ts";

/** The message store on MongoDB. */
export class MongoMessageStore implements MessageStore {
  #client: MongoClient;
  #c: Collections;
  #receipts: MongoReceipts;

  /** Creates the store on a client and its collections. */
  constructor(client: MongoClient, c: Collections) {
    this.#client = client;
    this.#c = c;
    this.#receipts = new MongoReceipts(client, c);
  }

  append(input: NewMessage): Promise<{ message: MessageRecord; created: boolean }> {
    return appendMessage(this.#client, this.#c, input);
  }

  async get(messageId: string): Promise<StoredMessage | null> {
    const doc = await this.#c.messages.findOne({ _id: messageId });
    return doc ? stored(doc) : null;
  }

  async getByClientMsgId(senderId: string, clientMsgId: string): Promise<StoredMessage | null> {
    const doc = await this.#c.messages.findOne({ senderId, clientMsgId });
    return doc ? stored(doc) : null;
  }

  updateMessage(
    messageId: string,
    change: (current: MessageRecord) => MessageRecord | Promise<MessageRecord>,
  ): Promise<StoredMessage | null> {
    return updateMessage(this.#client, this.#c, messageId, change);
  }

  async listBySender(
    senderId: string,
    options: { cursor?: string; limit: number },
  ): Promise<{ messages: StoredMessage[]; cursor: string | null }> {
    // The unique index on (senderId, clientMsgId) serves this order and the cursor.
    const filter = options.cursor === undefined
      ? { senderId }
      : { senderId, clientMsgId: { $gt: options.cursor } };
    const docs = await this.#c.messages.find(filter).sort({ clientMsgId: 1 }).limit(options.limit)
      .toArray();
    const last = docs.at(-1);
    return {
      messages: docs.map(stored),
      cursor: last && docs.length === options.limit ? last.clientMsgId : null,
    };
  }

  async getBySeq(chatId: string, seqs: readonly number[]): Promise<StoredMessage[]> {
    const docs = await this.#c.messages.find({ chatId, seq: { $in: [...seqs] } }).toArray();
    const bySeq = new Map(docs.map((d) => [d.seq, stored(d)]));
    return seqs.flatMap((s) => bySeq.get(s) ?? []);
  }

  async history(chatId: string, options: HistoryOptions): Promise<StoredMessage[]> {
    const { afterSeq, beforeSeq, limit } = options;
    const seq = {
      ...(afterSeq === undefined ? {} : { $gt: afterSeq }),
      ...(beforeSeq === undefined ? {} : { $lt: beforeSeq }),
    };
    const filter = Object.keys(seq).length ? { chatId, seq } : { chatId };
    const order = afterSeq === undefined ? -1 : 1;
    return (await this.#c.messages.find(filter).sort({ seq: order }).limit(limit).toArray())
      .map(stored);
  }

  changes(chatId: string, options: ChangesOptions): Promise<ChangedMessage[]> {
    return listChanges(this.#c, chatId, options);
  }

  lastChangeSeq(chatId: string): Promise<number> {
    return lastChangeSeq(this.#c, chatId);
  }

  async listExpired(before: string, limit: number): Promise<string[]> {
    const docs = await this.#c.messages.find({ expiresAt: { $lte: before } }, {
      projection: { _id: 1 },
    }).sort({ expiresAt: 1 }).limit(limit).toArray();
    return docs.map((doc) => doc._id);
  }

  countAddressed(
    userId: string,
    chatId: string,
    options: { afterSeq: number; limit: number },
  ): Promise<number> {
    // recipientIds rules out the sender and those who had left, as addressedBy does.
    return this.#c.messages.countDocuments({
      chatId,
      seq: { $gt: options.afterSeq },
      recipientIds: userId,
      $or: [{ mentions: userId }, { "replyTo.senderId": userId }],
    }, { limit: options.limit });
  }

  async listPending(
    userId: string,
    options: { after?: PendingCursor; limit: number },
  ): Promise<MessageRecord[]> {
    const a = options.after;
    const cursor = a
      ? { $or: [{ chatId: { $gt: a.chatId } }, { chatId: a.chatId, seq: { $gt: a.seq } }] }
      : {};
    const receipts = await this.#c.receipts.find({ userId, status: "pending", ...cursor })
      .sort({ chatId: 1, seq: 1 }).limit(options.limit).toArray();
    if (receipts.length === 0) return [];
    const docs = await this.#c.messages.find({ _id: { $in: receipts.map((r) => r.messageId) } })
      .toArray();
    const byId = new Map(docs.map((d) => [d._id, record(d)]));
    return receipts.flatMap((r) => byId.get(r.messageId) ?? []);
  }

  async pendingCounts(
    options: { limit: number },
  ): Promise<{ counts: Map<string, number>; complete: boolean }> {
    const rows = await this.#c.receipts.aggregate<{ _id: string; n: number }>([
      { $match: { status: "pending" } },
      { $limit: options.limit },
      { $group: { _id: "$userId", n: { $sum: 1 } } },
    ]).toArray();
    const seen = rows.reduce((sum, row) => sum + row.n, 0);
    return { counts: new Map(rows.map((r) => [r._id, r.n])), complete: seen < options.limit };
  }

  recipientStatuses(message: MessageRecord): Promise<RecipientStatus[]> {
    return this.#receipts.statuses(message);
  }

  markDelivered(userId: string, refs: readonly MessageRef[], at: string): Promise<ReceiptChange[]> {
    return this.#receipts.markDelivered(userId, refs, at);
  }

  markRead(
    userId: string,
    chatId: string,
    upToSeq: number,
    options: { at: string; silent?: boolean },
  ): Promise<ReceiptChange[]> {
    return this.#receipts.markRead(userId, chatId, upToSeq, options);
  }
}
