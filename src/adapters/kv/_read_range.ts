/**
 * Range reads of the KV adapter: entries of one prefix by seq, as one range where
 * they are dense (messages of a backlog page, a drain's pending entries); and what
 * reading a range of a chat changes for one user (a read watermark moving forward,
 * a removed member's receipts being settled).
 * @module
 */
import type { MessageRecord, ReceiptChange } from "../../core/types.ts";
import { getAll, keys, MAX_BATCH, pendingId } from "./_util.ts";
import { countReceipt } from "./_counts.ts";

/** The range (after, end] of a chat, as read by one user. */
export interface RangeRead {
  userId: string;
  chatId: string;
  after: number;
  end: number;
  /** When it was read, for the changes returned. */
  at: string;
  /** False when the reader sends no read receipts: nothing is counted or told read. */
  read?: boolean;
  /** Where the user's unread messages start (default `after`): their own above it are counted. */
  unreadAfter?: number;
}

/**
 * Adds to `op` what reading the range does: for each message of which the user
 * is a recipient, its pending entry (checked, so an ack racing this commit makes
 * it retry) is deleted and counted delivered, and the message is counted read
 * (where it keeps counts: _counts.ts), unless `read` is false.
 * Returns the changes and how many of the messages above `unreadAfter` the user sent.
 */
export async function readRange(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  { userId, chatId, after, end, at, read = true, unreadAfter = after }: RangeRead,
): Promise<{ changes: ReceiptChange[]; own: number }> {
  const [messages, pending] = await Promise.all([
    listSeqs<MessageRecord>(kv, (seq) => keys.message(chatId, seq), after + 1, end),
    listSeqs<number | true>(kv, (seq) => keys.pending(userId, chatId, seq), after + 1, end),
  ]);
  const pendingBySeq = new Map(pending.map((entry) => [entry.key[3] as number, entry]));
  const changes: ReceiptChange[] = [];
  let own = 0;
  for (const { value: message } of messages) {
    const { seq, senderId } = message;
    if (senderId === userId && seq > unreadAfter) own++;
    if (!message.recipientIds.includes(userId)) continue;
    const entry = pendingBySeq.get(seq);
    if (entry) op.check(entry).delete(entry.key);
    if (!entry && !read) continue;
    const recipients = message.recipientIds.length;
    countReceipt(op, { chatId, seq, recipients }, { delivered: entry !== undefined, read });
    const status = read ? "read" : "delivered";
    changes.push({ chatId, seq, messageId: message.id, senderId, userId, status, at });
  }
  return { changes, own };
}

/**
 * Whether seqs lie close enough together that one range read, which also
 * returns the seqs between them, beats reading them by key, ten a round trip.
 */
export function dense(seqs: readonly number[]): boolean {
  return Math.max(...seqs) - Math.min(...seqs) + 1 <= 2 * seqs.length;
}

/** The entries under `keyOf(first)` to `keyOf(last)`, one round trip where KV allows. */
export async function listSeqs<T>(
  kv: Deno.Kv,
  keyOf: (seq: number) => Deno.KvKey,
  first: number,
  last: number,
): Promise<Deno.KvEntry<T>[]> {
  const entries: Deno.KvEntry<T>[] = [];
  const selector = { start: keyOf(first), end: keyOf(last + 1) };
  const batchSize = Math.max(1, Math.min(last - first + 1, MAX_BATCH));
  for await (const entry of kv.list<T>(selector, { batchSize })) entries.push(entry);
  return entries;
}

/**
 * Reads pending entries, in the order asked. Those of one user in one chat that
 * lie close together (a drain acks seq after seq) are read as one range, one
 * round trip, rather than ten keys per round trip.
 */
export async function getPending<T>(
  kv: Deno.Kv,
  refs: readonly { userId: string; chatId: string; seq: number }[],
): Promise<Deno.KvEntryMaybe<T>[]> {
  const found = new Map<string, Deno.KvEntryMaybe<T>>();
  const scattered: Deno.KvKey[] = [];
  const groups = Map.groupBy(refs, (ref) => `${ref.userId}\0${ref.chatId}`);
  await Promise.all([...groups.values()].map(async (group) => {
    const { userId, chatId } = group[0];
    const seqs = group.map((ref) => ref.seq);
    // A few keys go with the other groups' into shared reads of ten.
    if (group.length < 4 || !dense(seqs)) {
      for (const seq of seqs) scattered.push(keys.pending(userId, chatId, seq));
      return;
    }
    const keyOf = (seq: number) => keys.pending(userId, chatId, seq);
    for (const entry of await listSeqs<T>(kv, keyOf, Math.min(...seqs), Math.max(...seqs))) {
      found.set(pendingId(userId, chatId, entry.key[3] as number), entry);
    }
  }));
  for (const entry of await getAll<T>(kv, scattered)) {
    if (entry.versionstamp !== null) {
      found.set(pendingId(...(entry.key.slice(1) as [string, string, number])), entry);
    }
  }
  return refs.map(({ userId, chatId, seq }) =>
    found.get(pendingId(userId, chatId, seq)) ??
      { key: keys.pending(userId, chatId, seq), value: null, versionstamp: null }
  );
}
