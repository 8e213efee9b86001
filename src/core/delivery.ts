/**
 * Sending and delivery sessions (receipts are in receipts.ts).
 *
 * Store first, then deliver: a send is acknowledged only after the store holds
 * the message with a pending entry for every recipient. Sessions then deliver it;
 * a recipient counts as delivered only when a device acknowledged it.
 * @module
 */
import {
  AppEventTypes,
  type MarkReadInput,
  type MessageView,
  type SendMessageInput,
  ServerEvents,
} from "../protocol/mod.ts";
import { DeliverySession, type DeviceChannel } from "./session.ts";
import type { MessageRecord } from "./types.ts";
import { toMessageView } from "./views.ts";
import { ReceiptService } from "./receipts.ts";
import { normalizeContent } from "./_content.ts";
import { uuidv7 } from "./_ids.ts";
import { RateLimitError } from "./errors.ts";
import { type References, references } from "./_references.ts";
import { OfflineCopies } from "./offline.ts";
import { LocalSessions } from "./_local_sessions.ts";
import type { DeliveryDeps, DeliveryOptions, SendOptions } from "./_delivery_deps.ts";

export type { DeliveryDeps, DeliveryOptions, SendOptions };

/** Sends messages, runs this node's delivery sessions and records receipts. */
export class DeliveryService {
  #deps: DeliveryDeps;
  #options: DeliveryOptions;
  #local = new LocalSessions();
  #receipts: ReceiptService;
  #offline: OfflineCopies;

  /** Creates the service. */
  constructor(deps: DeliveryDeps, options: DeliveryOptions) {
    this.#deps = deps;
    this.#options = options;
    this.#offline = new OfflineCopies(deps);
    this.#receipts = new ReceiptService(deps, (error) => this.#offline.failed(error));
  }

  /**
   * Stores a message and wakes its recipients' sessions, and shows it on the
   * sender's devices but `options.device`, the one it came from. A repeated
   * `clientMsgId` returns the stored message and stores nothing. A reply and
   * mentions must name a message and members of the chat (_references.ts).
   */
  async send(
    senderId: string,
    input: SendMessageInput,
    options: SendOptions = {},
  ): Promise<MessageView> {
    const content = normalizeContent(input.content, this.#options.maxMessageChars);
    const limited = options.limited ?? true;
    let refs: References;
    try {
      if (limited) await this.#deps.limits.message(senderId);
      refs = await references(this.#deps, senderId, { ...input, content });
    } catch (error) {
      // A retry of a message already stored (its ack was lost) is answered even at the
      // limit, or after the chat changed (the sender left it): it stores nothing, and
      // refusing it would leave the client unsure. The store answers plain retries so too.
      const stored = await this.#deps.store.messages.getByClientMsgId(senderId, input.clientMsgId);
      if (!stored || stored.chatId !== input.chatId) throw error;
      if (limited && !(error instanceof RateLimitError)) {
        await this.#deps.limits.messageRepeated(senderId);
      }
      return this.#repeat(stored);
    }
    const { message, created } = await this.#deps.store.messages.append({
      id: uuidv7(),
      clientMsgId: input.clientMsgId,
      chatId: input.chatId,
      senderId,
      content,
      createdAt: new Date().toISOString(),
      ...refs,
    });
    if (created) {
      this.#deps.metrics.count("sent");
      this.#local.offer(message);
      this.#deps.notifier.ring(message.recipientIds, [message]);
      const view = toMessageView(message, true);
      // Live only, like edits: a device that was away reads its own messages from history.
      this.#deps.notifier.emit([senderId], ServerEvents.messageSent, view, {
        except: options.device,
      });
      await Promise.all([
        // A recipient with a session on this node is online: presence is asked about the rest.
        this.#offline.copy(message, (userId) => this.#local.has(userId)),
        // Queued before the sender's ack: a crash before it means a retry, which queues it.
        this.#deps.events?.publishMessage(AppEventTypes.messageCreated, message),
      ]);
      return view;
    }
    if (limited) await this.#deps.limits.messageRepeated(senderId);
    return this.#repeat((await this.#deps.store.messages.get(message.id)) ?? message);
  }

  // A retry stores nothing but rings again, and queues the app's event again (a receiver
  // drops its id the second time): the first attempt may have died before either.
  async #repeat(message: MessageRecord): Promise<MessageView> {
    this.wake(message.recipientIds);
    await this.#deps.events?.publishMessage(AppEventTypes.messageCreated, message);
    return toMessageView(message, true, await this.#deps.chats.viewer(message.senderId));
  }

  /** Wakes the sessions of these users on this node and on every other node. */
  wake(userIds: readonly string[]): void {
    this.wakeLocal(userIds);
    this.#deps.notifier.ring(userIds);
  }

  /**
   * Wakes the sessions of these users on this node only (a ring from another node),
   * or every one of them (after a pub/sub outage may have lost rings). The
   * `messages` a ring carries go to the sessions as this node's own sends do.
   */
  wakeLocal(userIds?: readonly string[], messages: readonly MessageRecord[] = []): void {
    for (const message of messages) this.#local.offer(message);
    const offered = new Set(messages.flatMap((m) => m.recipientIds));
    this.#local.kick(userIds?.filter((id) => !offered.has(id)));
  }

  /** Opens the delivery session of a newly connected device and starts its drain. */
  openSession(userId: string, deviceId: string, channel: DeviceChannel): DeliverySession {
    const session = new DeliverySession({ userId, deviceId }, channel, {
      backlog: (after, limit) => this.#deps.queue.backlog(userId, { after, limit }),
      acknowledged: (message, live) => this.#receipts.acknowledged(userId, message, live),
    }, {
      window: this.#options.window,
      pageSize: this.#options.pageSize,
      connectedAt: new Date().toISOString(),
    });
    this.#local.add(session);
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
    // The user's last device here: what this node took from the queue goes back to it.
    if (!this.#local.remove(session)) return;
    this.#deps.queue.release(session.userId).catch((error) => this.#offline.failed(error));
  }

  /**
   * Moves a participant's read watermark, tells senders which of their messages
   * were read and the reader's devices but `options.device` that the chat is read.
   * Membership is checked first, so an outsider is refused before any of the
   * given message ids is looked up.
   */
  async markRead(
    userId: string,
    input: MarkReadInput,
    options: { device?: string } = {},
  ): Promise<void> {
    const { chat } = await this.#deps.chats.requireMember(input.chatId, userId);
    await this.#receipts.markRead(userId, input, { device: options.device, lastSeq: chat.lastSeq });
  }

  /** Resolves when every acknowledgement received so far is stored. */
  flushed(): Promise<void> {
    return this.#receipts.flushed();
  }
}
