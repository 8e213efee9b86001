/**
 * Edits, deletes and reactions in Deno KV, with the change log a device reads to
 * catch up on them.
 *
 * Each chat has a change counter of its own key, so changes never conflict with
 * the sends' group commits, which check the chat record. A change takes the next
 * count and writes the message, the counter and a log entry `(chat, changeSeq) →
 * seq` in one commit that checks both: changes of a chat commit in counter order,
 * so a reader never sees a count before a lower one. The message's previous log
 * entry goes in the same commit, so the log holds each message once, at its last
 * change, and grows with the messages changed rather than with the changes.
 * @module
 */
import type { ChangesOptions } from "../../core/ports.ts";
import type { MessageRecord } from "../../core/types.ts";
import { keys, MAX_BATCH, retry } from "./_util.ts";
import { oversized } from "./_budget.ts";

/** Where a message is: its chat and seq. */
export interface MessageAt {
  chatId: string;
  seq: number;
}

/**
 * Replaces the message at `at` with `change(current)` stamped with the chat's
 * next `changeSeq`, retrying on conflict; null when the message is missing.
 */
export async function updateMessage(
  kv: Deno.Kv,
  at: MessageAt,
  change: (current: MessageRecord) => MessageRecord | Promise<MessageRecord>,
): Promise<MessageRecord | null> {
  return await retry("update message", async () => {
    const [entry, counter] = await kv.getMany<[MessageRecord, number]>([
      keys.message(at.chatId, at.seq),
      keys.changeCounter(at.chatId),
    ]);
    if (!entry.value) return null;
    const changeSeq = (counter.value ?? 0) + 1;
    const next: MessageRecord = { ...await change(entry.value), changeSeq };
    const tooLarge = oversized(JSON.stringify(next).length);
    if (tooLarge) throw tooLarge;
    const op = kv.atomic().check(entry, counter)
      .set(entry.key, next)
      .set(counter.key, changeSeq)
      .set(keys.change(at.chatId, changeSeq), at.seq);
    const previous = entry.value.changeSeq;
    if (previous !== undefined) op.delete(keys.change(at.chatId, previous));
    // The expiry index follows the record: a delete takes `expiresAt` away, and its entry.
    const [was, is] = [entry.value.expiresAt, next.expiresAt];
    if (was && was !== is) op.delete(keys.expiring(was, at.chatId, at.seq));
    if (is && is !== was) op.set(keys.expiring(is, at.chatId, at.seq), next.id);
    return (await op.commit()).ok ? next : undefined;
  });
}

/** The log entries after `afterChangeSeq`, oldest first: where each message changed last. */
export async function listChanges(
  kv: Deno.Kv,
  chatId: string,
  options: ChangesOptions,
): Promise<{ changeSeq: number; seq: number }[]> {
  const selector = {
    prefix: keys.changes(chatId),
    start: keys.change(chatId, options.afterChangeSeq + 1),
  };
  const list: { changeSeq: number; seq: number }[] = [];
  // One round trip, so the page is one snapshot of the log.
  const batchSize = Math.min(options.limit, MAX_BATCH);
  for await (const entry of kv.list<number>(selector, { limit: options.limit, batchSize })) {
    list.push({ changeSeq: entry.key[2] as number, seq: entry.value });
  }
  return list;
}

/** The chat's change counter; 0 before its first change. */
export async function lastChangeSeq(kv: Deno.Kv, chatId: string): Promise<number> {
  return (await kv.get<number>(keys.changeCounter(chatId))).value ?? 0;
}
