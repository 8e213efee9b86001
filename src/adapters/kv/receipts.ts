/**
 * Receipts in Deno KV: each recipient's state of each message moves forward only
 * (pending → delivered → read), removing its pending entry and bumping the
 * message's KvU64 counts in the same commit.
 * @module
 */
import { AccessError } from "../../core/errors.ts";
import type { ChatRecord, MembershipRecord, MessageRef, ReceiptChange } from "../../core/types.ts";
import { getAll, keys, retry } from "./_util.ts";

/** One recipient's state of one message. */
export interface Receipt {
  status: "pending" | "delivered" | "read";
  messageId: string;
  senderId: string;
}

// Deno KV allows 100 checks per atomic operation; one receipt takes one.
const RECEIPTS_PER_COMMIT = 90;

/** Delivery and read receipts on Deno KV. */
export class KvReceipts {
  #kv: Deno.Kv;

  /** Creates the receipts on an open KV handle. */
  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  /** Marks messages delivered to a user; returns the receipts that changed. */
  async markDelivered(
    userId: string,
    refs: readonly MessageRef[],
    at: string,
  ): Promise<ReceiptChange[]> {
    const changes: ReceiptChange[] = [];
    for (let i = 0; i < refs.length; i += RECEIPTS_PER_COMMIT) {
      const chunk = refs.slice(i, i + RECEIPTS_PER_COMMIT);
      changes.push(...await this.#advance(userId, chunk, "delivered", at));
    }
    return changes;
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
        changes.push(
          ...await this.#advance(userId, refs.slice(i, i + RECEIPTS_PER_COMMIT), "read", at),
        );
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

  /** Moves receipts forward (pending → delivered → read), never back; one commit per chunk. */
  #advance(
    userId: string,
    refs: readonly MessageRef[],
    to: "delivered" | "read",
    at: string,
  ): Promise<ReceiptChange[]> {
    return retry(`mark messages ${to}`, async () => {
      const entries = await getAll<Receipt>(
        this.#kv,
        refs.map((r) => keys.receipt(userId, r.chatId, r.seq)),
      );
      const op = this.#kv.atomic();
      const changes: ReceiptChange[] = [];
      entries.forEach((entry, i) => {
        const receipt = entry.value;
        if (!receipt || receipt.status === to || receipt.status === "read") return;
        const { chatId, seq } = refs[i];
        op.check(entry).set(entry.key, { ...receipt, status: to });
        if (receipt.status === "pending") {
          op.delete(keys.pending(userId, chatId, seq)).sum(keys.delivered(chatId, seq), 1n);
        }
        if (to === "read") op.sum(keys.read(chatId, seq), 1n);
        changes.push({
          chatId,
          seq,
          messageId: receipt.messageId,
          senderId: receipt.senderId,
          userId,
          status: to,
          at,
        });
      });
      if (changes.length === 0) return changes;
      return (await op.commit()).ok ? changes : undefined;
    });
  }
}
