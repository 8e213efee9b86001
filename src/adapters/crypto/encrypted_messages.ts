/**
 * A message store that keeps content (and attachments' names) encrypted at
 * rest: it encrypts on the way in and decrypts on the way out, around any other
 * message store.
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
import type { Keyring } from "./keyring.ts";
import { openMessage, sealMessage } from "../../core/sealing.ts";

/** Wraps a message store so that content is stored encrypted. */
export class EncryptedMessageStore implements MessageStore {
  #inner: MessageStore;
  #keyring: Keyring;

  /** Creates the wrapper. */
  constructor(inner: MessageStore, keyring: Keyring) {
    this.#inner = inner;
    this.#keyring = keyring;
  }

  #open = <T extends MessageRecord>(m: T): Promise<T> => openMessage(this.#keyring, m);

  #openAll = <T extends MessageRecord>(list: T[]): Promise<T[]> =>
    Promise.all(list.map(this.#open));

  async append(message: NewMessage): Promise<{ message: MessageRecord; created: boolean }> {
    const result = await this.#inner.append(await sealMessage(this.#keyring, message));
    // A new message holds what we just encrypted: no need to decrypt it again.
    if (result.created) {
      const { content, attachments } = message;
      return { ...result, message: { ...result.message, content, attachments } };
    }
    return { message: await this.#open(result.message), created: false };
  }

  async get(messageId: string): Promise<StoredMessage | null> {
    const message = await this.#inner.get(messageId);
    return message && this.#open(message);
  }

  async getByClientMsgId(senderId: string, clientMsgId: string): Promise<StoredMessage | null> {
    const message = await this.#inner.getByClientMsgId(senderId, clientMsgId);
    return message && this.#open(message);
  }

  async updateMessage(
    messageId: string,
    change: (current: MessageRecord) => MessageRecord | Promise<MessageRecord>,
  ): Promise<StoredMessage | null> {
    const updated = await this.#inner.updateMessage(messageId, async (current) => {
      const next = await change(await this.#open(current));
      return await sealMessage(this.#keyring, next);
    });
    return updated && this.#open(updated);
  }

  async listBySender(
    senderId: string,
    options: { cursor?: string; limit: number },
  ): Promise<{ messages: StoredMessage[]; cursor: string | null }> {
    const page = await this.#inner.listBySender(senderId, options);
    return { ...page, messages: await this.#openAll(page.messages) };
  }

  async getBySeq(chatId: string, seqs: readonly number[]): Promise<StoredMessage[]> {
    return this.#openAll(await this.#inner.getBySeq(chatId, seqs));
  }

  async history(chatId: string, options: HistoryOptions): Promise<StoredMessage[]> {
    return this.#openAll(await this.#inner.history(chatId, options));
  }

  async changes(chatId: string, options: ChangesOptions): Promise<ChangedMessage[]> {
    const list = await this.#inner.changes(chatId, options);
    const opened = await this.#openAll(list.map((entry) => entry.message));
    return list.map((entry, i) => ({ changeSeq: entry.changeSeq, message: opened[i] }));
  }

  lastChangeSeq(chatId: string): Promise<number> {
    return this.#inner.lastChangeSeq(chatId);
  }

  listExpired(before: string, limit: number): Promise<string[]> {
    return this.#inner.listExpired(before, limit);
  }

  countAddressed(
    userId: string,
    chatId: string,
    options: { afterSeq: number; limit: number },
  ): Promise<number> {
    return this.#inner.countAddressed(userId, chatId, options);
  }

  async listPending(
    userId: string,
    options: { after?: PendingCursor; limit: number },
  ): Promise<MessageRecord[]> {
    return this.#openAll(await this.#inner.listPending(userId, options));
  }

  pendingCounts(
    options: { limit: number },
  ): Promise<{ counts: Map<string, number>; complete: boolean }> {
    return this.#inner.pendingCounts(options);
  }

  // Statuses carry no content: nothing to decrypt.
  recipientStatuses(message: MessageRecord): Promise<RecipientStatus[]> {
    return this.#inner.recipientStatuses(message);
  }

  markDelivered(userId: string, refs: readonly MessageRef[], at: string): Promise<ReceiptChange[]> {
    return this.#inner.markDelivered(userId, refs, at);
  }

  markRead(
    userId: string,
    chatId: string,
    upToSeq: number,
    options: { at: string; silent?: boolean },
  ): Promise<ReceiptChange[]> {
    return this.#inner.markRead(userId, chatId, upToSeq, options);
  }
}
