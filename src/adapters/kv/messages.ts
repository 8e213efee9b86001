/**
 * Messages, receipts and the pending index in Deno KV.
 *
 * A send writes, in one atomic commit shared with other sends (append.ts), the
 * chat's next seq, the message, its idempotency key, and per recipient a pending
 * entry, which with the read watermark is also the receipt (receipts.ts). Receipt
 * counts are KvU64 sums, which commute and so never conflict.
 * @module
 */
import type {
  ChangedMessage,
  ChangesOptions,
  HistoryOptions,
  MessageStore,
  NewMessage,
  PendingCursor,
} from "../../core/ports.ts";
import type {
  MessageRecord,
  MessageRef,
  ReceiptChange,
  RecipientStatus,
  StoredMessage,
} from "../../core/types.ts";
import { getAll, keys } from "./_util.ts";
import { lastChangeSeq, listChanges, updateMessage } from "./changes.ts";
import { readCounts } from "./_counts.ts";
import { KvReceipts } from "./receipts.ts";
import { type Appended, KvAppender } from "./append.ts";
import { PendingCache } from "./_pending_cache.ts";
import { listPending, pendingCounts } from "./_pending_index.ts";
import { listBySender } from "./_by_sender.ts";

// Pending entries remembered for acks: more than the messages in flight to devices at once.
const PENDING_CACHE_SIZE = 8192;

/** The message store on Deno KV. */
export class KvMessageStore implements MessageStore {
  #kv: Deno.Kv;
  #receipts: KvReceipts;
  #appender: KvAppender;
  #pending = new PendingCache(PENDING_CACHE_SIZE);

  /** Creates the store on an open KV handle. */
  constructor(kv: Deno.Kv) {
    this.#kv = kv;
    this.#receipts = new KvReceipts(kv, this.#pending);
    this.#appender = new KvAppender(kv, this.#pending, async (refs) => {
      const entries = await getAll<MessageRecord>(
        kv,
        refs.map((r) => keys.message(r.chatId, r.seq)),
      );
      return entries.flatMap((e) => (e.value ? [e.value] : []));
    });
  }

  append(input: NewMessage): Promise<Appended> {
    return this.#appender.append(input);
  }

  get(messageId: string): Promise<StoredMessage | null> {
    return this.#byRef(keys.messageId(messageId));
  }

  getByClientMsgId(senderId: string, clientMsgId: string): Promise<StoredMessage | null> {
    return this.#byRef(keys.clientMsg(senderId, clientMsgId));
  }

  // The message that an index entry (its id, or its idempotency key) points to.
  async #byRef(key: Deno.KvKey): Promise<StoredMessage | null> {
    const ref = (await this.#kv.get<{ chatId: string; seq: number }>(key)).value;
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
    const updated = await updateMessage(this.#kv, ref, change);
    return updated ? (await this.#withCounts([updated]))[0] : null;
  }

  async getBySeq(chatId: string, seqs: readonly number[]): Promise<StoredMessage[]> {
    const entries = await getAll<MessageRecord>(this.#kv, seqs.map((s) => keys.message(chatId, s)));
    return this.#withCounts(entries.flatMap((e) => (e.value ? [e.value] : [])));
  }

  async history(chatId: string, options: HistoryOptions): Promise<StoredMessage[]> {
    const { afterSeq, beforeSeq, limit } = options;
    if (afterSeq !== undefined && beforeSeq !== undefined && afterSeq + 1 >= beforeSeq) return [];
    // KV takes a prefix with one bound, or two bounds without a prefix.
    const start = afterSeq === undefined ? undefined : keys.message(chatId, afterSeq + 1);
    const end = beforeSeq === undefined ? undefined : keys.message(chatId, beforeSeq);
    const selector: Deno.KvListSelector = start && end
      ? { start, end }
      : { prefix: keys.messages(chatId), ...(start && { start }), ...(end && { end }) };
    const reverse = afterSeq === undefined;
    const page: MessageRecord[] = [];
    for await (const entry of this.#kv.list<MessageRecord>(selector, { reverse, limit })) {
      page.push(entry.value);
    }
    return this.#withCounts(page);
  }

  async changes(chatId: string, options: ChangesOptions): Promise<ChangedMessage[]> {
    const log = await listChanges(this.#kv, chatId, options);
    const messages = await this.getBySeq(chatId, log.map((entry) => entry.seq));
    const bySeq = new Map(messages.map((m) => [m.seq, m]));
    return log.flatMap(({ changeSeq, seq }) => {
      const message = bySeq.get(seq);
      return message ? [{ changeSeq, message }] : [];
    });
  }

  lastChangeSeq(chatId: string): Promise<number> {
    return lastChangeSeq(this.#kv, chatId);
  }

  async listExpired(before: string, limit: number): Promise<string[]> {
    // The end is exclusive: the first key after every entry at `before` itself.
    const end = [...keys.expirings(), `${before}\0`];
    const entries = this.#kv.list<string>({ prefix: keys.expirings(), end }, { limit });
    return (await Array.fromAsync(entries)).map((entry) => entry.value);
  }

  listBySender(
    senderId: string,
    options: { cursor?: string; limit: number },
  ): Promise<{ messages: StoredMessage[]; cursor: string | null }> {
    return listBySender(this.#kv, (chatId, seqs) => this.getBySeq(chatId, seqs), senderId, options);
  }

  async countAddressed(
    userId: string,
    chatId: string,
    options: { afterSeq: number; limit: number },
  ): Promise<number> {
    const prefix = keys.addressedIn(userId, chatId);
    const start = keys.addressed(userId, chatId, options.afterSeq + 1);
    let count = 0;
    for await (const _ of this.#kv.list({ prefix, start }, { limit: options.limit })) count++;
    return count;
  }

  listPending(
    userId: string,
    options: { after?: PendingCursor; limit: number },
  ): Promise<MessageRecord[]> {
    return listPending(this.#kv, this.#pending, userId, options);
  }

  pendingCounts(
    options: { limit: number },
  ): Promise<{ counts: Map<string, number>; complete: boolean }> {
    return pendingCounts(this.#kv, options);
  }

  recipientStatuses(message: MessageRecord): Promise<RecipientStatus[]> {
    return this.#receipts.statuses(message);
  }

  markDelivered(userId: string, refs: readonly MessageRef[], at: string): Promise<ReceiptChange[]> {
    return this.#receipts.markDelivered(userId, refs, at);
  }

  markRead(
    userId: string,
    chatId: string,
    upToSeq: number,
    options: { at: string; silent?: boolean },
  ): Promise<ReceiptChange[]> {
    return this.#receipts.markRead(userId, chatId, upToSeq, options);
  }

  async #withCounts(messages: MessageRecord[]): Promise<StoredMessage[]> {
    const counts = await readCounts(this.#kv, messages);
    return messages.map((m, i) => ({ ...m, counts: counts[i] }));
  }
}
