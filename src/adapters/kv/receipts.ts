/**
 * Receipts in Deno KV: each recipient's state of each message moves forward only
 * (pending → delivered → read), removing its pending entry and bumping the
 * message's KvU64 counts in the same commit.
 * @module
 */
import { AccessError } from "../../core/errors.ts";
import type { ChatRecord, MembershipRecord, MessageRef, ReceiptChange } from "../../core/types.ts";
import { GroupCommit, type Outcome } from "../../core/group_commit.ts";
import { getAll, keys, retry } from "./_util.ts";

/** One recipient's state of one message. */
export interface Receipt {
  status: "pending" | "delivered" | "read";
  messageId: string;
  senderId: string;
}

// Deno KV allows 100 checks per atomic operation; one receipt takes one.
const RECEIPTS_PER_COMMIT = 90;

type DeliveredCall = { userId: string; refs: readonly MessageRef[]; at: string };

/** Delivery and read receipts on Deno KV. */
export class KvReceipts {
  #kv: Deno.Kv;
  #delivered: GroupCommit<DeliveredCall, ReceiptChange[]>;

  /** Creates the receipts on an open KV handle. */
  constructor(kv: Deno.Kv) {
    this.#kv = kv;
    this.#delivered = new GroupCommit((calls) => this.#flushDelivered(calls));
  }

  /**
   * Marks messages delivered to a user; returns the receipts that changed. Calls
   * that arrive together (acks of many users) share commits, up to the limit of
   * checks per commit, since the KV file's commit rate is its bottleneck.
   */
  markDelivered(userId: string, refs: readonly MessageRef[], at: string): Promise<ReceiptChange[]> {
    return this.#delivered.add({ userId, refs, at });
  }

  async #flushDelivered(calls: DeliveredCall[]): Promise<Outcome<ReceiptChange[]>[]> {
    const items = calls.flatMap((call, index) =>
      call.refs.map((ref) => ({ index, userId: call.userId, ref, at: call.at }))
    );
    const results = calls.map((): ReceiptChange[] => []);
    for (let i = 0; i < items.length; i += RECEIPTS_PER_COMMIT) {
      const chunk = items.slice(i, i + RECEIPTS_PER_COMMIT);
      const changes = await this.#advance(chunk, "delivered");
      changes.forEach((change, k) => change && results[chunk[k].index].push(change));
    }
    return results.map((value) => ({ ok: true, value }));
  }

  /** Moves a user's read watermark; returns the receipts that changed. */
  markRead(userId: string, chatId: string, upToSeq: number, at: string): Promise<ReceiptChange[]> {
    const changes: ReceiptChange[] = [];
    return retry("mark messages read", async () => {
      const [chatEntry, memberEntry] = await this.#kv.getMany<[ChatRecord, MembershipRecord]>([
        keys.chat(chatId),
        keys.member(chatId, userId),
      ]);
      if (!chatEntry.value) throw new AccessError("not_found", "Chat not found");
      const member = memberEntry.value;
      if (!member) throw new AccessError("forbidden", "Not a participant of this chat");
      const upTo = Math.min(upToSeq, chatEntry.value.lastSeq);
      if (upTo <= member.readSeq) return changes;
      const refs: MessageRef[] = [];
      const selector = {
        start: keys.receipt(userId, chatId, member.readSeq + 1),
        end: keys.receipt(userId, chatId, upTo + 1),
      };
      for await (const entry of this.#kv.list<Receipt>(selector)) {
        refs.push({ chatId, seq: entry.key[3] as number, ...entry.value });
      }
      for (let i = 0; i < refs.length; i += RECEIPTS_PER_COMMIT) {
        const chunk = refs.slice(i, i + RECEIPTS_PER_COMMIT).map((ref) => ({ userId, ref, at }));
        for (const change of await this.#advance(chunk, "read")) if (change) changes.push(change);
      }
      // Every seq in range without a receipt for this user is one of the user's own messages.
      const own = upTo - member.readSeq - refs.length;
      const next = {
        ...member,
        readSeq: upTo,
        ownAfterRead: Math.max(0, member.ownAfterRead - own),
      };
      const result = await this.#kv.atomic().check(memberEntry).set(
        keys.member(chatId, userId),
        next,
      )
        .commit();
      return result.ok ? changes : undefined;
    });
  }

  /**
   * Moves receipts forward (pending → delivered → read), never back, in one
   * commit; returns per item its change, or null when it had nothing to change.
   */
  #advance(
    items: readonly { userId: string; ref: MessageRef; at: string }[],
    to: "delivered" | "read",
  ): Promise<(ReceiptChange | null)[]> {
    return retry(`mark messages ${to}`, async () => {
      const entries = await getAll<Receipt>(
        this.#kv,
        items.map(({ userId, ref }) => keys.receipt(userId, ref.chatId, ref.seq)),
      );
      const op = this.#kv.atomic();
      const seen = new Set<string>();
      const changes = entries.map((entry, i): ReceiptChange | null => {
        const receipt = entry.value;
        if (!receipt || receipt.status === to || receipt.status === "read") return null;
        const { userId, ref: { chatId, seq }, at } = items[i];
        // Two devices of one user may ack the same message in one batch: count it once.
        const key = `${userId}\0${chatId}\0${seq}`;
        if (seen.has(key)) return null;
        seen.add(key);
        op.check(entry).set(entry.key, { ...receipt, status: to });
        moveCounts(op, { userId, chatId, seq }, receipt.status, to);
        const { messageId, senderId } = receipt;
        return { chatId, seq, messageId, senderId, userId, status: to, at };
      });
      if (changes.every((change) => change === null)) return changes;
      return (await op.commit()).ok ? changes : undefined;
    });
  }
}

/**
 * Drops a former member's receipts in a chat above their read watermark, with
 * their pending entries, and counts each as done (see `MessageCounts`). Each
 * commit checks the receipts it drops, so an ack of theirs still in flight
 * either lands first and is counted once, or finds no receipt and changes nothing.
 */
export async function dropReceipts(
  kv: Deno.Kv,
  userId: string,
  chatId: string,
  afterSeq: number,
): Promise<void> {
  const selector = {
    prefix: keys.receipts(userId, chatId),
    start: keys.receipt(userId, chatId, afterSeq + 1),
  };
  let more = true;
  while (more) {
    more = await retry("drop receipts", async () => {
      const op = kv.atomic();
      let listed = 0;
      for await (const entry of kv.list<Receipt>(selector, { limit: RECEIPTS_PER_COMMIT })) {
        listed++;
        const seq = entry.key[3] as number;
        op.check(entry).delete(entry.key);
        moveCounts(op, { userId, chatId, seq }, entry.value.status, "read");
      }
      if (listed === 0) return false;
      return (await op.commit()).ok ? listed === RECEIPTS_PER_COMMIT : undefined;
    });
  }
}

// What a receipt moving from `from` to `to` does besides itself: leaving "pending"
// removes its pending entry and counts it delivered; reaching "read" counts it read.
function moveCounts(
  op: Deno.AtomicOperation,
  { userId, chatId, seq }: { userId: string; chatId: string; seq: number },
  from: Receipt["status"],
  to: "delivered" | "read",
): void {
  if (from === "pending") {
    op.delete(keys.pending(userId, chatId, seq)).sum(keys.delivered(chatId, seq), 1n);
  }
  if (to === "read" && from !== "read") op.sum(keys.read(chatId, seq), 1n);
}
