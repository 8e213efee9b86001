/**
 * Removing a member settles their receipts: what they had not acked or read is
 * counted as if they had read to the end, so a message's counts can still reach
 * "read by all". A mark in the removal's own commit says how far that got, so a
 * crash halfway leaves work that the next attempt finishes.
 * @module
 */
import type { ChatRecord } from "../../core/types.ts";
import { keys, PER_COMMIT, retry } from "./_util.ts";
import { readRange } from "./_read_range.ts";

/** Where a removed member's receipts still wait to be settled. */
interface Leaving {
  /** Settled up to here. */
  readSeq: number;
  /** The chat's last seq when they left: nothing after it was theirs. */
  lastSeq: number;
}

/**
 * The first step of removing a member, added to the commit that removes them:
 * marks where their receipts in the chat still need settling (`settleLeaving`).
 */
export function markLeaving(
  op: Deno.AtomicOperation,
  { userId, chat, readSeq }: { userId: string; chat: ChatRecord; readSeq: number },
): void {
  const leaving: Leaving = { readSeq, lastSeq: chat.lastSeq };
  op.set(keys.leaving(chat.id, userId), leaving);
}

/**
 * Settles a former member's receipts above their read watermark: deletes their
 * pending entries and counts each message delivered and read (see
 * `MessageCounts`), as if they had read to the end. Each commit checks and moves
 * the mark, so an ack of theirs still in flight is counted once, and a removal
 * that a crash cut short completes when it is repeated; with no mark left, a
 * repeat changes nothing.
 */
export async function settleLeaving(kv: Deno.Kv, userId: string, chatId: string): Promise<void> {
  let more = true;
  while (more) {
    more = await retry("settle a removed member's receipts", async () => {
      const entry = await kv.get<Leaving>(keys.leaving(chatId, userId));
      if (!entry.value) return false;
      const { readSeq, lastSeq } = entry.value;
      const end = Math.min(lastSeq, readSeq + PER_COMMIT);
      const op = kv.atomic().check(entry);
      await readRange(kv, op, { userId, chatId, after: readSeq, end, at: "" });
      if (end < lastSeq) op.set(entry.key, { readSeq: end, lastSeq });
      else op.delete(entry.key);
      if (!(await op.commit()).ok) return undefined;
      return end < lastSeq;
    });
  }
}
