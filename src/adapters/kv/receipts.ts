/**
 * Receipts in Deno KV, kept without a record per receipt: a recipient's message
 * is pending while its pending entry exists, read at or below the member's
 * `readSeq` (`receiptSeq` when they held reads back), and delivered otherwise.
 * Each change deletes the pending entry or moves the watermark, and bumps the
 * message's KvU64 counts in the same commit.
 *
 * Why no receipt records: each key family a commit writes lands on pages of its
 * own in the KV file, and on a real disk those page writes were the server's
 * limit. A record per receipt cost two writes per recipient per message (at send
 * and at ack) and, in a simulation of the online relay, 30% of the store's
 * throughput, for state that the pending index and the watermark already hold.
 * @module
 */
import { AccessError } from "../../core/errors.ts";
import type {
  ChatRecord,
  MembershipRecord,
  MessageRecord,
  MessageRef,
  ReceiptChange,
  RecipientStatus,
} from "../../core/types.ts";
import { GroupCommit, type Outcome } from "../../core/group_commit.ts";
import { getAll, keys, pendingId, PER_COMMIT, retry } from "./_util.ts";
import { getPending, readRange } from "./_read_range.ts";
import { countReceipt, receiptOf } from "./_counts.ts";
import type { PendingCache, PendingEntry } from "./_pending_cache.ts";

type DeliveredCall = { userId: string; refs: readonly MessageRef[]; at: string };
type DeliveredItem = { userId: string; ref: MessageRef; at: string };

/** Delivery and read receipts on Deno KV. */
export class KvReceipts {
  #kv: Deno.Kv;
  #pending: PendingCache;
  #delivered: GroupCommit<DeliveredCall, ReceiptChange[]>;

  /** Creates the receipts on an open KV handle; acks take their entries from `pending` first. */
  constructor(kv: Deno.Kv, pending: PendingCache) {
    this.#kv = kv;
    this.#pending = pending;
    this.#delivered = new GroupCommit((calls) => this.#flushDelivered(calls));
  }

  /**
   * Marks messages delivered to a user; returns the receipts that changed. Calls
   * that arrive together (acks of many users) share commits, up to the limit of
   * checks per commit, since the KV file's commit rate is its bottleneck. The
   * commits of one flush run side by side: one after the other, acks fell behind
   * the sends they answer (ticks 0.4-1.5 s late after a run of the online relay).
   * Two of them may hold the same entry (two devices' acks): one commit wins, and
   * the other's retry finds the entry gone and counts nothing.
   */
  markDelivered(userId: string, refs: readonly MessageRef[], at: string): Promise<ReceiptChange[]> {
    return this.#delivered.add({ userId, refs, at });
  }

  /** Where each recipient of `message` stands: two reads per recipient, all at once. */
  async statuses({ chatId, seq, recipientIds }: MessageRecord): Promise<RecipientStatus[]> {
    const [pending, members] = await Promise.all([
      getAll<unknown>(this.#kv, recipientIds.map((id) => keys.pending(id, chatId, seq))),
      getAll<MembershipRecord>(this.#kv, recipientIds.map((id) => keys.member(chatId, id))),
    ]);
    return recipientIds.map((userId, i) => ({
      userId,
      status: receiptOf(pending[i].versionstamp !== null, members[i].value, seq),
    }));
  }

  async #flushDelivered(calls: DeliveredCall[]): Promise<Outcome<ReceiptChange[]>[]> {
    const items = calls.flatMap((call, index) =>
      call.refs.map((ref) => ({ index, userId: call.userId, ref, at: call.at }))
    );
    const results = calls.map((): ReceiptChange[] => []);
    const chunks = [];
    for (let i = 0; i < items.length; i += PER_COMMIT) chunks.push(items.slice(i, i + PER_COMMIT));
    await Promise.all(chunks.map(async (chunk) => {
      const changes = await this.#deliver(chunk);
      changes.forEach((change, k) => change && results[chunk[k].index].push(change));
    }));
    return results.map((value) => ({ ok: true, value }));
  }

  // Takes each item's pending entry, if it still exists, in one checked commit.
  #deliver(items: readonly DeliveredItem[]): Promise<(ReceiptChange | null)[]> {
    // The first attempt reads only what the cache does not hold; a retry reads everything.
    let cached: (PendingEntry | undefined)[] | null = items.map(({ userId, ref }) =>
      this.#pending.take({ userId, chatId: ref.chatId, seq: ref.seq })
    );
    return retry("mark messages delivered", async () => {
      // Older files hold `true` in pending entries: those messages keep their sums.
      const entries = await this.#readPending(items, cached);
      cached = null;
      const op = this.#kv.atomic();
      const seen = new Set<string>();
      const changes = entries.map((entry, i): ReceiptChange | null => {
        if (entry.versionstamp === null) return null;
        const { userId, ref: { chatId, seq, messageId, senderId }, at } = items[i];
        // Two devices of one user may ack the same message in one batch: count it once.
        const key = pendingId(userId, chatId, seq);
        if (seen.has(key)) return null;
        seen.add(key);
        op.check(entry).delete(entry.key);
        const recipients = entry.value === true ? NaN : entry.value;
        countReceipt(op, { chatId, seq, recipients }, { delivered: true, read: false });
        return { chatId, seq, messageId, senderId, userId, status: "delivered", at };
      });
      if (changes.every((change) => change === null)) return changes;
      return (await op.commit()).ok ? changes : undefined;
    });
  }

  async #readPending(
    items: readonly DeliveredItem[],
    cached: readonly (PendingEntry | undefined)[] | null,
  ): Promise<Deno.KvEntryMaybe<number | true>[]> {
    const missing = items.filter((_, i) => !cached?.[i]);
    const read = await getPending<number | true>(
      this.#kv,
      missing.map(({ userId, ref }) => ({ userId, chatId: ref.chatId, seq: ref.seq })),
    );
    let next = 0;
    return items.map((_, i) => cached?.[i] ?? read[next++]);
  }

  /**
   * Moves a user's read watermark; returns the receipts that changed. Each commit
   * covers up to 90 seqs and moves the watermark with them, checking it, so two
   * devices reading at once never count a message read twice.
   */
  async markRead(
    userId: string,
    chatId: string,
    upToSeq: number,
    { at, silent = false }: { at: string; silent?: boolean },
  ): Promise<ReceiptChange[]> {
    const changes: ReceiptChange[] = [];
    let more = true;
    while (more) {
      more = await retry("mark messages read", async () => {
        const [chatEntry, memberEntry] = await this.#kv.getMany<[ChatRecord, MembershipRecord]>([
          keys.chat(chatId),
          keys.member(chatId, userId),
        ]);
        if (!chatEntry.value) throw new AccessError("not_found", "Chat not found");
        const member = memberEntry.value;
        if (!member) throw new AccessError("forbidden", "Not a participant of this chat");
        const upTo = Math.min(upToSeq, chatEntry.value.lastSeq);
        const { markedUnread, ...unmarked } = member;
        if (upTo <= member.readSeq) {
          // Nothing new to read, but a mark of the chat as unread goes all the same.
          if (!markedUnread) return false;
          const cleared = await this.#kv.atomic().check(memberEntry).set(memberEntry.key, unmarked)
            .commit();
          return cleared.ok ? false : undefined;
        }
        // Read with receipts on, the range starts where senders last saw a read, so
        // the reads held back (`receiptSeq`) are told too.
        const told = member.receiptSeq ?? member.readSeq;
        const after = silent ? member.readSeq : told;
        const end = Math.min(upTo, after + PER_COMMIT);
        const op = this.#kv.atomic().check(memberEntry);
        const range = await readRange(this.#kv, op, {
          userId,
          chatId,
          after,
          end,
          at,
          read: !silent,
          unreadAfter: member.readSeq,
        });
        const { receiptSeq: _, ...rest } = unmarked;
        const receiptSeq = silent ? told : end;
        op.set(memberEntry.key, {
          ...rest,
          readSeq: Math.max(member.readSeq, end),
          ownAfterRead: Math.max(0, member.ownAfterRead - range.own),
          ...(receiptSeq < Math.max(member.readSeq, end) ? { receiptSeq } : {}),
        });
        if (!(await op.commit()).ok) return undefined;
        changes.push(...range.changes);
        return end < upTo;
      });
    }
    return changes;
  }
}
