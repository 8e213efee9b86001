/**
 * Messages, receipts and the pending index in Deno KV.
 *
 * A send is one atomic commit: the chat's next seq (checked against the chat's
 * versionstamp, so concurrent senders never share or skip a seq), the message, its
 * idempotency key, and per recipient a receipt plus a pending entry. Receipt counts
 * are KvU64 sums, which commute and so never conflict.
 * @module
 */
import { AccessError, ConflictError } from "../../core/errors.ts";
import type { MessageStore, NewMessage, PendingCursor } from "../../core/ports.ts";
import type {
  ChatRecord,
  MembershipRecord,
  MessageRecord,
  MessageRef,
  ReceiptChange,
  StoredMessage,
} from "../../core/types.ts";
import { counter, getAll, keys, retry } from "./_util.ts";

interface Receipt {
  status: "pending" | "delivered" | "read";
  messageId: string;
  senderId: string;
}

// Deno KV allows 100 checks per atomic operation; one receipt takes one.
const RECEIPTS_PER_COMMIT = 90;

/** The message store on Deno KV. */
export class KvMessageStore implements MessageStore {
  #kv: Deno.Kv;

  /** Creates the store on an open KV handle. */
  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  append(input: NewMessage): Promise<{ message: MessageRecord; created: boolean }> {
    const { chatId, senderId } = input;
    return retry("store message", async () => {
      const [chatEntry, memberEntry, dupEntry] = await this.#kv.getMany<
        [ChatRecord, MembershipRecord, { chatId: string; seq: number }]
      >([
        keys.chat(chatId),
        keys.member(chatId, senderId),
        keys.clientMsg(senderId, input.clientMsgId),
      ]);
      if (dupEntry.value) {
        if (dupEntry.value.chatId !== chatId) {
          throw new ConflictError("clientMsgId was already used in another chat");
        }
        const [stored] = await this.getBySeq(chatId, [dupEntry.value.seq]);
        return { message: stored, created: false };
      }
      const chat = chatEntry.value;
      if (!chat) throw new AccessError("not_found", "Chat not found");
      const member = memberEntry.value;
      if (!member) throw new AccessError("forbidden", "Not a participant of this chat");
      const seq = chat.lastSeq + 1;
      const recipientIds = chat.participantIds.filter((id) => id !== senderId);
      const message: MessageRecord = { ...input, seq, recipientIds };
      const op = this.#kv.atomic()
        .check(chatEntry, memberEntry, dupEntry)
        .set(keys.chat(chatId), { ...chat, lastSeq: seq, lastActivityAt: input.createdAt })
        .set(keys.member(chatId, senderId), { ...member, ownAfterRead: member.ownAfterRead + 1 })
        .set(keys.message(chatId, seq), message)
        .set(keys.messageId(message.id), { chatId, seq })
        .set(keys.clientMsg(senderId, input.clientMsgId), { chatId, seq });
      const receipt: Receipt = { status: "pending", messageId: message.id, senderId };
      for (const userId of recipientIds) {
        op.set(keys.receipt(userId, chatId, seq), receipt).set(
          keys.pending(userId, chatId, seq),
          true,
        );
      }
      return (await op.commit()).ok ? { message, created: true } : undefined;
    });
  }

  async get(messageId: string): Promise<StoredMessage | null> {
    const ref =
      (await this.#kv.get<{ chatId: string; seq: number }>(keys.messageId(messageId))).value;
    if (!ref) return null;
    const [message] = await this.getBySeq(ref.chatId, [ref.seq]);
    return message ?? null;
  }

  async updateMessage(
    messageId: string,
    change: (current: MessageRecord) => MessageRecord | Promise<MessageRecord>,
  ): Promise<StoredMessage | null> {
    const ref =
      (await this.#kv.get<{ chatId: string; seq: number }>(keys.messageId(messageId))).value;
    if (!ref) return null;
    const updated = await retry("update message", async () => {
      const entry = await this.#kv.get<MessageRecord>(keys.message(ref.chatId, ref.seq));
      if (!entry.value) return null;
      const next = await change(entry.value);
      const result = await this.#kv.atomic().check(entry).set(entry.key, next).commit();
      return result.ok ? next : undefined;
    });
    return updated ? (await this.#withCounts([updated]))[0] : null;
  }

  async getBySeq(chatId: string, seqs: readonly number[]): Promise<StoredMessage[]> {
    const entries = await getAll<MessageRecord>(this.#kv, seqs.map((s) => keys.message(chatId, s)));
    return this.#withCounts(entries.flatMap((e) => (e.value ? [e.value] : [])));
  }

  async history(
    chatId: string,
    options: { beforeSeq?: number; limit: number },
  ): Promise<StoredMessage[]> {
    const selector = options.beforeSeq === undefined
      ? { prefix: keys.messages(chatId) }
      : { prefix: keys.messages(chatId), end: keys.message(chatId, options.beforeSeq) };
    const page: MessageRecord[] = [];
    for await (
      const entry of this.#kv.list<MessageRecord>(selector, { reverse: true, limit: options.limit })
    ) {
      page.push(entry.value);
    }
    return this.#withCounts(page);
  }

  async listPending(
    userId: string,
    options: { after?: PendingCursor; limit: number },
  ): Promise<MessageRecord[]> {
    const prefix = keys.pendingOf(userId);
    const selector = options.after
      ? { prefix, start: keys.pending(userId, options.after.chatId, options.after.seq + 1) }
      : { prefix };
    const refs: { chatId: string; seq: number }[] = [];
    for await (const entry of this.#kv.list(selector, { limit: options.limit })) {
      refs.push({ chatId: entry.key[2] as string, seq: entry.key[3] as number });
    }
    const byChat = Map.groupBy(refs, (ref) => ref.chatId);
    const pages = await Promise.all(
      [...byChat].map(([chatId, list]) => this.#readSeqs(chatId, list.map((r) => r.seq))),
    );
    return pages.flat();
  }

  // A user's pending seqs in a chat are nearly contiguous: one range read beats many gets.
  async #readSeqs(chatId: string, seqs: number[]): Promise<MessageRecord[]> {
    const first = seqs[0];
    const last = seqs[seqs.length - 1];
    if (last - first + 1 > seqs.length * 2) {
      const entries = await getAll<MessageRecord>(
        this.#kv,
        seqs.map((s) => keys.message(chatId, s)),
      );
      return entries.flatMap((e) => (e.value ? [e.value] : []));
    }
    const wanted = new Set(seqs);
    const out: MessageRecord[] = [];
    const selector = { start: keys.message(chatId, first), end: keys.message(chatId, last + 1) };
    for await (const entry of this.#kv.list<MessageRecord>(selector)) {
      if (wanted.has(entry.value.seq)) out.push(entry.value);
    }
    return out;
  }

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

  async #withCounts(messages: MessageRecord[]): Promise<StoredMessage[]> {
    const countKeys = messages.flatMap((
      m,
    ) => [keys.delivered(m.chatId, m.seq), keys.read(m.chatId, m.seq)]);
    const counts = await getAll<Deno.KvU64>(this.#kv, countKeys);
    return messages.map((m, i) => ({
      ...m,
      counts: { delivered: counter(counts[2 * i]), read: counter(counts[2 * i + 1]) },
    }));
  }
}
