/**
 * Receipts: device acknowledgements become "delivered", read watermarks become
 * "read", and each change is told to the message's sender as a tick (and a read
 * to the reader's other devices).
 *
 * Acks arrive one per message; they are group-committed so that a busy node writes
 * many users' receipts per store round trip instead of one each.
 * @module
 */
import { type ChatReadEvent, type MarkReadInput, ServerEvents } from "../protocol/mod.ts";
import { AccessError } from "./errors.ts";
import { allOrNothing, GroupCommit } from "./group_commit.ts";
import type { Metrics, Notifier, OfflineQueue, Store } from "./ports.ts";
import type { MessageRecord, ReceiptChange } from "./types.ts";
import { viewerOf } from "./views.ts";

/** Adapters the receipt service uses. */
export interface ReceiptDeps {
  store: Store;
  queue: OfflineQueue;
  notifier: Notifier;
  metrics: Metrics;
}

// Acks stored per flush; the store splits them into commits that run side by side.
const ACK_BATCH = 1024;

interface Ack {
  userId: string;
  message: MessageRecord;
  /** Delivered live, not out of a backlog: the latency that says how fast the path is. */
  live: boolean;
}

/** Records delivery and read receipts and tells senders. */
export class ReceiptService {
  #deps: ReceiptDeps;
  #acks: GroupCommit<Ack>;
  #queueFailed: (error: unknown) => void;

  /**
   * Creates the service. `queueFailed` hears of offline-queue failures, which never
   * fail a receipt: the store's pending index is the source of truth.
   */
  constructor(deps: ReceiptDeps, queueFailed: (error: unknown) => void) {
    this.#deps = deps;
    this.#queueFailed = queueFailed;
    // Acks must keep pace with sends: at 256 per flush they fell behind near 4,000 msg/s,
    // and "delivered" ticks came 1.5 s after the last message of a 20,000-message run.
    this.#acks = new GroupCommit(allOrNothing((batch) => this.#flushAcks(batch)), ACK_BATCH);
  }

  /**
   * Records that a device of `userId` acknowledged a message, `live` or out of
   * the backlog; resolves once stored.
   */
  acknowledged(userId: string, message: MessageRecord, live: boolean): Promise<void> {
    return this.#acks.add({ userId, message, live });
  }

  /**
   * Moves the reader's watermark, tells senders which of their messages were read
   * (unless the reader turned read receipts off: `UserRecord.readReceipts`),
   * and the reader's devices but `options.device` up to which seq the chat is read
   * (at most `options.lastSeq`, the chat's last seq as the caller read it).
   */
  async markRead(
    userId: string,
    input: MarkReadInput,
    options: { device?: string; lastSeq: number },
  ): Promise<void> {
    const upToSeq = "upToSeq" in input
      ? input.upToSeq
      : await this.#highestSeq(input.chatId, input.messageIds);
    // A reader who sends no read receipts reads for themself: senders hear only
    // of deliveries (a message read is one the device has).
    const reader = await this.#deps.store.users.get(userId);
    const changes = await this.#deps.store.messages.markRead(userId, input.chatId, upToSeq, {
      at: new Date().toISOString(),
      silent: !!reader && viewerOf(reader).hidesReads,
    });
    this.#deps.metrics.count("read", changes.filter((c) => c.status === "read").length);
    await this.#deps.queue.settle(userId, changes).catch(this.#queueFailed);
    this.#notifySenders(await this.#seenBySenders(changes));
    // The store clamps the watermark to the chat's last seq; so does this, or another
    // device would take messages still to come as read.
    const read: ChatReadEvent = {
      chatId: input.chatId,
      upToSeq: Math.min(upToSeq, options.lastSeq),
      at: new Date().toISOString(),
    };
    this.#deps.notifier.emit([userId], ServerEvents.chatRead, read, { except: options.device });
  }

  /** Resolves when every acknowledgement received so far is stored. */
  flushed(): Promise<void> {
    return this.#acks.idle();
  }

  async #highestSeq(chatId: string, messageIds: readonly string[]): Promise<number> {
    const messages = await Promise.all(messageIds.map((id) => this.#deps.store.messages.get(id)));
    let highest = 0;
    for (const message of messages) {
      if (!message || message.chatId !== chatId) {
        throw new AccessError("not_found", "Message not found in this chat");
      }
      highest = Math.max(highest, message.seq);
    }
    return highest;
  }

  async #flushAcks(batch: Ack[]): Promise<void> {
    const byUser = Map.groupBy(batch, (ack) => ack.userId);
    const at = new Date().toISOString();
    await Promise.all([...byUser].map(async ([userId, acks]) => {
      const refs = acks.map(({ message: m }) => ({
        chatId: m.chatId,
        seq: m.seq,
        messageId: m.id,
        senderId: m.senderId,
      }));
      const changes = await this.#deps.store.messages.markDelivered(userId, refs, at);
      this.#deps.metrics.count("delivered", changes.length);
      const now = Date.now();
      for (const { message, live } of acks) {
        const seconds = (now - Date.parse(message.createdAt)) / 1000;
        this.#deps.metrics.observeDeliveryLatency(seconds, live ? "live" : "backlog");
      }
      await this.#deps.queue.settle(userId, refs).catch(this.#queueFailed);
      this.#notifySenders(changes);
    }));
  }

  // Reads as their senders may see them: one who sends no read receipts sees none.
  async #seenBySenders(changes: ReceiptChange[]): Promise<ReceiptChange[]> {
    const senders = new Set(changes.flatMap((c) => c.status === "read" ? [c.senderId] : []));
    if (senders.size === 0) return changes;
    const users = await this.#deps.store.users.getMany([...senders]);
    const hiding = new Set(users.filter((u) => viewerOf(u).hidesReads).map((u) => u.id));
    return changes.filter((c) => !(c.status === "read" && hiding.has(c.senderId)));
  }

  #notifySenders(changes: readonly ReceiptChange[]): void {
    for (const change of changes) {
      this.#deps.notifier.emit([change.senderId], ServerEvents.messageStatus, {
        messageId: change.messageId,
        chatId: change.chatId,
        userId: change.userId,
        status: change.status,
        at: change.at,
      });
    }
  }
}
