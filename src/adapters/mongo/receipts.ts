/**
 * Receipts in MongoDB: one document per recipient and message, moving forward
 * only (pending → delivered → read), with the message's counts bumped by `$inc`
 * in the same transaction. Pending receipts are the pending index.
 * @module
 */
import type { AnyBulkWriteOperation, ClientSession, MongoClient } from "mongodb";
import { AccessError } from "../../core/errors.ts";
import type {
  MessageRecord,
  MessageRef,
  ReceiptChange,
  RecipientStatus,
} from "../../core/types.ts";
import {
  type Collections,
  type MessageDoc,
  type ReceiptDoc,
  receiptId,
  transaction,
} from "./_collections.ts";

/** Delivery and read receipts on MongoDB. */
export class MongoReceipts {
  #client: MongoClient;
  #c: Collections;

  /** Creates the receipts on a client and its collections. */
  constructor(client: MongoClient, c: Collections) {
    this.#client = client;
    this.#c = c;
  }

  /** Marks messages delivered to a user; returns the receipts that changed. */
  markDelivered(userId: string, refs: readonly MessageRef[], at: string): Promise<ReceiptChange[]> {
    const ids = refs.map((r) => receiptId(userId, r.chatId, r.seq));
    return transaction(this.#client, async (session) => {
      const pending = await this.#c.receipts.find({ _id: { $in: ids }, status: "pending" }, {
        session,
      }).toArray();
      return this.#advance(session, userId, pending, "delivered", at);
    });
  }

  /** Where each recipient of `message` stands, from its receipt documents. */
  async statuses({ chatId, seq, recipientIds }: MessageRecord): Promise<RecipientStatus[]> {
    const ids = recipientIds.map((userId) => receiptId(userId, chatId, seq));
    const docs = await this.#c.receipts.find({ _id: { $in: ids } }).toArray();
    const byUser = new Map(docs.map((d) => [d.userId, d.status]));
    return recipientIds.map((userId) => {
      const status = byUser.get(userId) ?? "pending";
      return { userId, status: status === "pending" ? "sent" : status };
    });
  }

  /**
   * Moves a user's read watermark; returns the receipts that changed. Silent
   * (read receipts off): pending receipts turn delivered, and `receiptSeq` keeps
   * where senders last saw a read; the next read that is not silent reads from there.
   */
  markRead(
    userId: string,
    chatId: string,
    upToSeq: number,
    { at, silent = false }: { at: string; silent?: boolean },
  ): Promise<ReceiptChange[]> {
    return transaction(this.#client, async (session) => {
      const chat = await this.#c.chats.findOne({ _id: chatId }, { session });
      if (!chat) throw new AccessError("not_found", "Chat not found");
      const member = await this.#c.members.findOne({ _id: `${chatId}:${userId}` }, { session });
      if (!member) throw new AccessError("forbidden", "Not a participant of this chat");
      const upTo = Math.min(upToSeq, chat.lastSeq);
      if (upTo <= member.readSeq) {
        // Nothing new to read, but a mark of the chat as unread goes all the same.
        if (member.markedUnread) {
          await this.#c.members.updateOne({ _id: member._id }, { $unset: { markedUnread: "" } }, {
            session,
          });
        }
        return [];
      }
      const told = member.receiptSeq ?? member.readSeq;
      const inRange = await this.#c.receipts.find(
        { userId, chatId, seq: { $gt: silent ? member.readSeq : told, $lte: upTo } },
        { session },
      ).toArray();
      const to = silent ? "delivered" : "read";
      const moving = inRange.filter((r) => silent ? r.status === "pending" : r.status !== "read");
      const changes = await this.#advance(session, userId, moving, to, at);
      // Every seq in range without a receipt for this user is one of the user's own messages.
      const unread = inRange.filter((r) => r.seq > member.readSeq).length;
      const own = upTo - member.readSeq - unread;
      await this.#c.members.updateOne(
        { _id: member._id },
        {
          $set: {
            readSeq: upTo,
            ownAfterRead: Math.max(0, member.ownAfterRead - own),
            ...(silent ? { receiptSeq: told } : {}),
          },
          $unset: { markedUnread: "", ...(silent ? {} : { receiptSeq: "" }) },
        },
        { session },
      );
      return changes;
    });
  }

  /** Moves receipts forward and bumps the message counts, in the caller's transaction. */
  async #advance(
    session: ClientSession,
    userId: string,
    receipts: ReceiptDoc[],
    to: "delivered" | "read",
    at: string,
  ): Promise<ReceiptChange[]> {
    if (receipts.length === 0) return [];
    await this.#c.receipts.updateMany({ _id: { $in: receipts.map((r) => r._id) } }, {
      $set: { status: to },
    }, { session });
    const counts: AnyBulkWriteOperation<MessageDoc>[] = receipts.map((r) => ({
      updateOne: {
        filter: { _id: r.messageId },
        update: { $inc: countsMoved(r.status, to) },
      },
    }));
    await this.#c.messages.bulkWrite(counts, { session });
    return receipts.map((r) => ({
      chatId: r.chatId,
      seq: r.seq,
      messageId: r.messageId,
      senderId: r.senderId,
      userId,
      status: to,
      at,
    }));
  }
}

/**
 * Drops a former member's receipts in a chat that are not yet read; each counts as
 * done (see `MessageCounts`) by the state it had when it was deleted, so an ack of
 * theirs still in flight is counted once.
 */
export async function dropReceipts(c: Collections, chatId: string, userId: string): Promise<void> {
  const open = await c.receipts.find({ userId, chatId, status: { $ne: "read" } })
    .project<{ _id: string }>({ _id: 1 }).toArray();
  for (const { _id } of open) {
    const receipt = await c.receipts.findOneAndDelete({ _id, status: { $ne: "read" } });
    if (!receipt) continue;
    await c.messages.updateOne({ _id: receipt.messageId }, {
      $inc: countsMoved(receipt.status, "read"),
    });
  }
}

// The message counts a receipt moving from `from` to `to` adds: leaving "pending"
// counts it delivered; reaching "read" counts it read.
function countsMoved(from: ReceiptDoc["status"], to: "delivered" | "read"): Record<string, number> {
  return {
    ...(from === "pending" ? { "counts.delivered": 1 } : {}),
    ...(to === "read" && from !== "read" ? { "counts.read": 1 } : {}),
  };
}
