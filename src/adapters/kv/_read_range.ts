/**
 * What reading a range of a chat changes for one user, shared by a read
 * watermark moving forward and a removed member's receipts being settled.
 * @module
 */
import type { MessageRecord, ReceiptChange } from "../../core/types.ts";
import { keys } from "./_util.ts";
import { countReceipt } from "./_counts.ts";

/** The range (after, end] of a chat, as read by one user. */
export interface RangeRead {
  userId: string;
  chatId: string;
  after: number;
  end: number;
  /** When it was read, for the changes returned. */
  at: string;
}

/**
 * Adds to `op` what reading the range does: for each message of which the user
 * is a recipient, its pending entry (checked, so an ack racing this commit makes
 * it retry) is deleted and counted delivered, and the message is counted read
 * (where it keeps counts: _counts.ts).
 * Returns the changes and how many of the messages the user sent.
 */
export async function readRange(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  { userId, chatId, after, end, at }: RangeRead,
): Promise<{ changes: ReceiptChange[]; own: number }> {
  const span = end - after;
  const [messages, pending] = await Promise.all([
    list<MessageRecord>(kv, {
      start: keys.message(chatId, after + 1),
      end: keys.message(chatId, end + 1),
    }, span),
    list<true>(kv, {
      start: keys.pending(userId, chatId, after + 1),
      end: keys.pending(userId, chatId, end + 1),
    }, span),
  ]);
  const pendingBySeq = new Map(pending.map((entry) => [entry.key[3] as number, entry]));
  const changes: ReceiptChange[] = [];
  let own = 0;
  for (const { value: message } of messages) {
    const { seq, senderId } = message;
    if (senderId === userId) own++;
    if (!message.recipientIds.includes(userId)) continue;
    const entry = pendingBySeq.get(seq);
    if (entry) op.check(entry).delete(entry.key);
    const recipients = message.recipientIds.length;
    countReceipt(op, { chatId, seq, recipients }, { delivered: entry !== undefined, read: true });
    changes.push({ chatId, seq, messageId: message.id, senderId, userId, status: "read", at });
  }
  return { changes, own };
}

async function list<T>(
  kv: Deno.Kv,
  selector: { start: Deno.KvKey; end: Deno.KvKey },
  size: number,
): Promise<Deno.KvEntry<T>[]> {
  const entries: Deno.KvEntry<T>[] = [];
  // One round trip for the whole range rather than KV's default of 100 per batch.
  for await (const entry of kv.list<T>(selector, { batchSize: Math.max(1, size) })) {
    entries.push(entry);
  }
  return entries;
}
