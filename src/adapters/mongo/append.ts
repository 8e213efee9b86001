/**
 * A send in MongoDB, as one transaction: the idempotency check on the sender's
 * `clientMsgId`, `$inc` of the chat's `lastSeq` (concurrent senders conflict and
 * the driver retries, so seqs have no gaps), the message, the sender's count of
 * own messages since their read, and a pending receipt per recipient (the
 * pending index).
 * @module
 */
import type { MongoClient } from "mongodb";
import { AccessError, ConflictError, writeRefusal } from "../../core/errors.ts";
import type { NewMessage } from "../../core/ports.ts";
import { expiryOf, type MessageRecord } from "../../core/types.ts";
import { type Collections, receiptId, record, transaction } from "./_collections.ts";

/**
 * Stores a message with the chat's next seq, or finds the one the sender already
 * stored under its `clientMsgId` (`created: false`).
 */
export function appendMessage(
  client: MongoClient,
  c: Collections,
  input: NewMessage,
): Promise<{ message: MessageRecord; created: boolean }> {
  return transaction(client, async (session) => {
    const dup = await c.messages.findOne({
      senderId: input.senderId,
      clientMsgId: input.clientMsgId,
    }, { session });
    if (dup) {
      if (dup.chatId !== input.chatId) {
        throw new ConflictError("clientMsgId was already used in another chat");
      }
      return { message: record(dup), created: false };
    }
    const member = await c.members.findOne({ _id: `${input.chatId}:${input.senderId}` }, {
      session,
    });
    const chat = await c.chats.findOneAndUpdate(
      { _id: input.chatId },
      { $inc: { lastSeq: 1 }, $set: { lastActivityAt: input.createdAt } },
      { session, returnDocument: "after" },
    );
    if (!chat) throw new AccessError("not_found", "Chat not found");
    if (!member) throw new AccessError("forbidden", "Not a participant of this chat");
    const refusal = writeRefusal(chat);
    if (refusal) throw refusal;
    const recipientIds = chat.participantIds.filter((id) => id !== input.senderId);
    const message: MessageRecord = { ...input, seq: chat.lastSeq, recipientIds };
    const expiresAt = expiryOf(chat, input.createdAt);
    if (expiresAt) message.expiresAt = expiresAt;
    await c.messages.insertOne({
      ...message,
      _id: message.id,
      counts: { delivered: 0, read: 0 },
    }, { session });
    await c.members.updateOne({ _id: member._id }, { $inc: { ownAfterRead: 1 } }, {
      session,
    });
    if (recipientIds.length > 0) {
      await c.receipts.insertMany(
        recipientIds.map((userId) => ({
          _id: receiptId(userId, message.chatId, message.seq),
          userId,
          chatId: message.chatId,
          seq: message.seq,
          status: "pending" as const,
          messageId: message.id,
          senderId: message.senderId,
          createdAt: message.createdAt,
        })),
        { session },
      );
    }
    return { message, created: true };
  });
}
