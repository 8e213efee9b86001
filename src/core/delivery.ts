/**
 * Sending, delivery acknowledgements and read receipts.
 *
 * Store first, then deliver: a send is acknowledged only after the store holds
 * the message with a pending entry for every recipient. Sessions then deliver it;
 * a recipient counts as delivered only when a device acknowledged it.
 * @module
 */
import { type MarkReadInput, type MessageView, ServerEvents } from "../protocol/mod.ts";
import { AccessError } from "./errors.ts";
import type { Logger, Metrics, Notifier, OfflineQueue, Presence, Store } from "./ports.ts";
import { DeliverySession, type DeviceChannel } from "./session.ts";
import type { MessageRecord, ReceiptChange } from "./types.ts";
import { toMessageView } from "./views.ts";
import { allOrNothing, GroupCommit } from "./group_commit.ts";
import type { Limits } from "./limits.ts";
import type { PushService } from "./push.ts";
import { normalizeContent } from "./_content.ts";
import { uuidv7 } from "./_ids.ts";

/** Options of the delivery service. */
export interface DeliveryOptions {
  maxMessageChars: number;
  /** Messages in flight per device during a drain. */
  window: number;
  /** Backlog entries read per store round trip. */
  pageSize: number;
}

/** Adapters the delivery service uses. */
export interface DeliveryDeps {
  store: Store;
  queue: OfflineQueue;
  presence: Presence;
  notifier: Notifier;
  logger: Logger;
  metrics: Metrics;
  limits: Limits;
  /** Set when push notifications are configured. */
  push?: PushService;
}

interface Ack {
  userId: string;
  message: MessageRecord;
}

/** Sends messages, runs this node's delivery sessions and records receipts. */
export class DeliveryService {
  #deps: DeliveryDeps;
  #options: DeliveryOptions;
  #sessions = new Map<string, Set<DeliverySession>>();
  #acks: GroupCommit<Ack>;
  #queueWarnedAt = 0;
  #queueFailures = 0;

  /** Creates the service. */
  constructor(deps: DeliveryDeps, options: DeliveryOptions) {
    this.#deps = deps;
    this.#options = options;
    this.#acks = new GroupCommit(allOrNothing((batch) => this.#flushAcks(batch)));
  }

  /**
   * Stores a message and wakes its recipients' sessions. A repeated
   * `clientMsgId` returns the stored message and stores nothing.
   */
  async send(
    senderId: string,
    input: { chatId: string; content: string; clientMsgId: string },
  ): Promise<MessageView> {
    const content = normalizeContent(input.content, this.#options.maxMessageChars);
    await this.#deps.limits.message(senderId);
    const { message, created } = await this.#deps.store.messages.append({
      id: uuidv7(),
      clientMsgId: input.clientMsgId,
      chatId: input.chatId,
      senderId,
      content,
      createdAt: new Date().toISOString(),
    });
    if (created) {
      this.#deps.metrics.count("sent");
      this.#offerLocal(message);
      this.#deps.notifier.ring(message.recipientIds);
      await this.#enqueueOffline(message);
      return toMessageView(message, true);
    }
    // Ring on retries too: the first attempt may have died between store and ring.
    this.wake(message.recipientIds);
    const stored = await this.#deps.store.messages.get(message.id);
    return toMessageView(stored ?? message, true);
  }

  // The sessions on this node get the message itself and mostly skip a backlog read.
  #offerLocal(message: MessageRecord): void {
    for (const id of message.recipientIds) {
      for (const session of this.#sessions.get(id) ?? []) session.offer(message);
    }
    for (const session of this.#sessions.get(message.senderId) ?? []) session.passOwn(message);
  }

  /** Wakes the sessions of these users on this node and on every other node. */
  wake(userIds: readonly string[]): void {
    this.wakeLocal(userIds);
    this.#deps.notifier.ring(userIds);
  }

  /** Wakes the sessions of these users on this node only (a ring from another node). */
  wakeLocal(userIds: readonly string[]): void {
    for (const id of userIds) for (const session of this.#sessions.get(id) ?? []) session.kick();
  }

  /** Wakes every session on this node (after a pub/sub outage may have lost rings). */
  wakeAll(): void {
    for (const set of this.#sessions.values()) for (const session of set) session.kick();
  }

  /** Opens the delivery session of a newly connected device and starts its drain. */
  openSession(userId: string, deviceId: string, channel: DeviceChannel): DeliverySession {
    const session = new DeliverySession({ userId, deviceId }, channel, {
      backlog: (after, limit) => this.#deps.queue.backlog(userId, { after, limit }),
      acknowledged: (message) => this.#acks.add({ userId, message }),
    }, {
      window: this.#options.window,
      pageSize: this.#options.pageSize,
      connectedAt: new Date().toISOString(),
    });
    let set = this.#sessions.get(userId);
    if (!set) this.#sessions.set(userId, set = new Set());
    set.add(session);
    return session;
  }

  /** Drains a session's backlog and logs how much it took. */
  async drain(session: DeliverySession): Promise<number> {
    const started = performance.now();
    const delivered = await session.drain();
    if (delivered > 0) {
      this.#deps.logger.info("drain", {
        userId: session.userId,
        deviceId: session.deviceId,
        delivered,
        ms: Math.round(performance.now() - started),
      });
    }
    return delivered;
  }

  /** Stops a session; its unacknowledged messages stay pending. */
  closeSession(session: DeliverySession): void {
    session.close();
    const set = this.#sessions.get(session.userId);
    set?.delete(session);
    if (set?.size !== 0) return;
    this.#sessions.delete(session.userId);
    this.#deps.queue.release(session.userId).catch((error) => this.#queueFailed(error));
  }

  /** Moves the reader's watermark and tells senders which of their messages were read. */
  async markRead(userId: string, input: MarkReadInput): Promise<void> {
    const upToSeq = "upToSeq" in input
      ? input.upToSeq
      : await this.#highestSeq(input.chatId, input.messageIds);
    const changes = await this.#deps.store.messages.markRead(
      userId,
      input.chatId,
      upToSeq,
      new Date().toISOString(),
    );
    this.#deps.metrics.count("read", changes.length);
    await this.#deps.queue.settle(userId, changes).catch((error) => this.#queueFailed(error));
    this.#notifySenders(changes);
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

  async #enqueueOffline(message: MessageRecord): Promise<void> {
    // Without a queue of copies or push, who is offline changes nothing: skip the lookup.
    if (!this.#deps.queue.keepsCopies && !this.#deps.push) return;
    const online = await this.#deps.presence.online(message.recipientIds).catch(() => new Set());
    const offline = message.recipientIds.filter((id) => !online.has(id));
    // Not awaited: a slow or failing push provider must never hold up the sender's ack.
    this.#deps.push?.notify(message, offline);
    // The store already holds the message: a queue failure degrades, it never loses it.
    await Promise.all(offline.map((id) => this.#deps.queue.enqueue(id, message)))
      .catch((error) => this.#queueFailed(error));
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
      for (const { message } of acks) {
        this.#deps.metrics.observeDeliveryLatency((now - Date.parse(message.createdAt)) / 1000);
      }
      await this.#deps.queue.settle(userId, refs).catch((error) => this.#queueFailed(error));
      this.#notifySenders(changes);
    }));
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

  // One line per 10 s during an outage rather than one per message.
  #queueFailed(error: unknown): void {
    this.#queueFailures++;
    const now = Date.now();
    if (now - this.#queueWarnedAt < 10_000) return;
    this.#deps.logger.warn("offline queue failed; the store's pending index covers it", {
      error: String(error),
      failures: this.#queueFailures,
    });
    this.#queueWarnedAt = now;
    this.#queueFailures = 0;
  }
}
