/**
 * Edits, deletes and reactions in MongoDB, with the change log a device reads to
 * catch up on them: each changed message carries its chat's next `changeSeq`,
 * counted in the chat document, and the log is an index on `(chatId, changeSeq)`.
 * @module
 */
import type { MongoClient } from "mongodb";
import type { ChangedMessage, ChangesOptions } from "../../core/ports.ts";
import type { MessageRecord, StoredMessage } from "../../core/types.ts";
import { type Collections, type MessageDoc, record, stored, transaction } from "./_collections.ts";

/**
 * Replaces a message with `change(current)` and the chat's next `changeSeq`,
 * reading again when a concurrent change won; null when the message is missing.
 */
export async function updateMessage(
  client: MongoClient,
  c: Collections,
  messageId: string,
  change: (current: MessageRecord) => MessageRecord | Promise<MessageRecord>,
): Promise<StoredMessage | null> {
  for (;;) {
    const doc = await c.messages.findOne({ _id: messageId });
    if (!doc) return null;
    const next = await change(record(doc));
    // Optimistic: replace only the version that was read, else read again.
    const rev = (doc as MessageDoc & { rev?: number }).rev ?? 0;
    const written = await transaction(client, async (session) => {
      // Transactions that count up the same chat conflict, so a chat's changes
      // commit in counter order: a reader never sees a count before a lower one.
      const chat = await c.chats.findOneAndUpdate(
        { _id: doc.chatId },
        { $inc: { lastChangeSeq: 1 } },
        { session, returnDocument: "after", projection: { lastChangeSeq: 1 } },
      );
      // Only the fields a change may touch: counts move by $inc and must not be overwritten.
      const $set = {
        content: next.content,
        reactions: next.reactions ?? {},
        rev: rev + 1,
        changeSeq: chat?.lastChangeSeq ?? 1,
        ...(next.editedAt ? { editedAt: next.editedAt } : {}),
        ...(next.deleted ? { deleted: true } : {}),
      };
      // A delete takes the files and the expiry away: gone from the document too.
      const $unset: Record<string, ""> = {};
      for (const field of ["attachments", "expiresAt"] as const) {
        if (doc[field] !== undefined && next[field] === undefined) $unset[field] = "";
      }
      const update = Object.keys($unset).length > 0 ? { $set, $unset } : { $set };
      const result = await c.messages.updateOne(
        { _id: messageId, $or: [{ rev }, ...(rev === 0 ? [{ rev: { $exists: false } }] : [])] },
        update,
        { session },
      );
      // A lost race leaves a count no message holds: a gap, which readers skip.
      return result.modifiedCount === 1;
    });
    if (written) return stored((await c.messages.findOne({ _id: messageId }))!);
  }
}

/** The chat's messages changed after `afterChangeSeq`, in `changeSeq` order. */
export async function listChanges(
  c: Collections,
  chatId: string,
  options: ChangesOptions,
): Promise<ChangedMessage[]> {
  const docs = await c.messages
    .find({ chatId, changeSeq: { $gt: options.afterChangeSeq } })
    .sort({ changeSeq: 1 }).limit(options.limit).toArray();
  return docs.map((doc) => ({ changeSeq: doc.changeSeq!, message: stored(doc) }));
}

/** The chat's change counter; 0 before its first change. */
export async function lastChangeSeq(c: Collections, chatId: string): Promise<number> {
  const chat = await c.chats.findOne({ _id: chatId }, { projection: { lastChangeSeq: 1 } });
  return chat?.lastChangeSeq ?? 0;
}
