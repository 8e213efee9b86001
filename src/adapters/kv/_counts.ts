/**
 * Receipt counts in Deno KV. A message with more than one recipient keeps two
 * KvU64 sums, delivered and read. A message with one recipient, as every message
 * of a direct chat, keeps none: its recipient's pending entry and read watermark
 * already say both, so its acks and reads write nothing more.
 *
 * Why: each key family a commit writes lands on pages of its own in the KV file,
 * and on a real disk those page writes limit the store. Dropping the sums from
 * one-recipient acks took the ack commits from two families to one.
 * @module
 */
import type {
  MembershipRecord,
  MessageCounts,
  MessageRecord,
  RecipientStatus,
} from "../../core/types.ts";
import { counter, getAll, keys } from "./_util.ts";

/** Whether a message with this many recipients keeps its counts as sums. */
export function keepsCounts(recipients: number): boolean {
  return recipients !== 1;
}

/** Adds the counts' side of receipts to a commit: nothing for one recipient. */
export function countReceipt(
  op: Deno.AtomicOperation,
  { chatId, seq, recipients }: { chatId: string; seq: number; recipients: number },
  { delivered, read }: { delivered: boolean; read: boolean },
): void {
  if (!keepsCounts(recipients)) return;
  if (delivered) op.sum(keys.delivered(chatId, seq), 1n);
  if (read) op.sum(keys.read(chatId, seq), 1n);
}

/** Reads the counts of messages, in their order. */
export async function readCounts(
  kv: Deno.Kv,
  messages: readonly MessageRecord[],
): Promise<MessageCounts[]> {
  const countKeys: Deno.KvKey[] = [];
  const memberKeys = new Map<string, Deno.KvKey>();
  for (const m of messages) {
    if (keepsCounts(m.recipientIds.length)) {
      countKeys.push(keys.delivered(m.chatId, m.seq), keys.read(m.chatId, m.seq));
    } else {
      const [userId] = m.recipientIds;
      countKeys.push(keys.pending(userId, m.chatId, m.seq));
      memberKeys.set(`${m.chatId}\0${userId}`, keys.member(m.chatId, userId));
    }
  }
  const [entries, memberEntries] = await Promise.all([
    getAll<unknown>(kv, countKeys),
    getAll<MembershipRecord>(kv, [...memberKeys.values()]),
  ]);
  const members = new Map([...memberKeys.keys()].map((key, i) => [key, memberEntries[i].value]));
  let next = 0;
  return messages.map((m) => {
    if (keepsCounts(m.recipientIds.length)) {
      const [delivered, read] = [entries[next++], entries[next++]];
      return {
        delivered: counter(delivered as Deno.KvEntryMaybe<Deno.KvU64>),
        read: counter(read as Deno.KvEntryMaybe<Deno.KvU64>),
      };
    }
    const pending = entries[next++].versionstamp !== null;
    const status = receiptOf(pending, members.get(`${m.chatId}\0${m.recipientIds[0]}`), m.seq);
    return { delivered: status === "sent" ? 0 : 1, read: status === "read" ? 1 : 0 };
  });
}

/**
 * One recipient's receipt of message `seq`: "sent" while its pending entry is
 * there, "read" at or below its read watermark as senders see it (`receiptSeq`),
 * "delivered" in between. A
 * recipient no longer in the chat (no membership) counts as done, as in
 * `MessageCounts`.
 */
export function receiptOf(
  pending: boolean,
  member: MembershipRecord | null | undefined,
  seq: number,
): RecipientStatus["status"] {
  if (pending) return "sent";
  return member == null || seq <= (member.receiptSeq ?? member.readSeq) ? "read" : "delivered";
}
