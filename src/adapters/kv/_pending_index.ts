/**
 * Reading the pending index: each recipient's undelivered messages, keyed
 * `["pending", userId, chatId, seq]`, so one user's backlog is one range in
 * `(chat, seq)` order, the order a drain sends it in.
 * @module
 */
import type { PendingCursor } from "../../core/ports.ts";
import type { MessageRecord } from "../../core/types.ts";
import { getAll, keys, MAX_BATCH } from "./_util.ts";
import { dense, listSeqs } from "./_read_range.ts";
import type { PendingCache, PendingEntry } from "./_pending_cache.ts";

/**
 * A page of the user's pending messages after `options.after`, in `(chat, seq)`
 * order. Each entry listed is remembered in `cache`, so that the device's ack
 * need not read it again.
 */
export async function listPending(
  kv: Deno.Kv,
  cache: PendingCache,
  userId: string,
  options: { after?: PendingCursor; limit: number },
): Promise<MessageRecord[]> {
  const prefix = keys.pendingOf(userId);
  const selector = options.after
    ? { prefix, start: keys.pending(userId, options.after.chatId, options.after.seq + 1) }
    : { prefix };
  const refs: { chatId: string; seq: number }[] = [];
  // One round trip per page rather than KV's default of 100 entries per batch.
  const batchSize = Math.min(options.limit, MAX_BATCH);
  for await (const entry of kv.list(selector, { limit: options.limit, batchSize })) {
    cache.remember(entry as PendingEntry);
    refs.push({ chatId: entry.key[2] as string, seq: entry.key[3] as number });
  }
  const byChat = Map.groupBy(refs, (ref) => ref.chatId);
  const pages = await Promise.all(
    [...byChat].map(([chatId, list]) => readSeqs(kv, chatId, list.map((r) => r.seq))),
  );
  return pages.flat();
}

// A user's pending seqs in a chat are nearly contiguous: one range read beats many gets.
async function readSeqs(kv: Deno.Kv, chatId: string, seqs: number[]): Promise<MessageRecord[]> {
  const keyOf = (seq: number) => keys.message(chatId, seq);
  if (!dense(seqs)) {
    const entries = await getAll<MessageRecord>(kv, seqs.map(keyOf));
    return entries.flatMap((e) => (e.value ? [e.value] : []));
  }
  const wanted = new Set(seqs);
  const listed = await listSeqs<MessageRecord>(kv, keyOf, seqs[0], seqs[seqs.length - 1]);
  return listed.flatMap((entry) => (wanted.has(entry.value.seq) ? [entry.value] : []));
}

/**
 * Pending messages per user, over the first `options.limit` entries of the
 * whole index; `complete` says whether that was all of it.
 */
export async function pendingCounts(
  kv: Deno.Kv,
  options: { limit: number },
): Promise<{ counts: Map<string, number>; complete: boolean }> {
  const counts = new Map<string, number>();
  let seen = 0;
  for await (const entry of kv.list({ prefix: keys.pendingIndex() }, { limit: options.limit })) {
    const userId = entry.key[1] as string;
    counts.set(userId, (counts.get(userId) ?? 0) + 1);
    seen++;
  }
  return { counts, complete: seen < options.limit };
}
