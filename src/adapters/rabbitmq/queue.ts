/**
 * The offline queue on RabbitMQ: one durable queue per user, so one user's
 * backlog is drained without reading anyone else's.
 *
 * Each queue has the seed's settings: persistent messages, publisher confirms
 * before the sender's ack, a message TTL (24 h), a length limit that drops the
 * oldest (100,000), and `x-expires` so a queue nobody used for a TTL goes away with
 * its Erlang process (its messages would have expired by then anyway). Copies are
 * taken with manual acknowledgement, at most a prefetch window per user, and
 * acknowledged only after a device acknowledged the message.
 *
 * The store's pending index stays the source of truth and of order: drains read
 * it first. A copy the queue expired, dropped or never got changes nothing. When
 * the store cannot be read, the drain goes on from the copies held here.
 * @module
 */
import type { Channel, ConfirmChannel, GetMessage } from "amqplib";
import { UnavailableError } from "../../core/errors.ts";
import type { ContentCipher, MessageStore, OfflineQueue, PendingCursor } from "../../core/ports.ts";
import type { MessageRecord, MessageRef } from "../../core/types.ts";
import { RabbitConnection } from "./connection.ts";

/** Options of the RabbitMQ offline queue. */
export interface RabbitQueueOptions {
  url: string;
  /** Queue names are `<prefix>offline.<userId>`. */
  queuePrefix: string;
  messageTtlMs: number;
  maxLength: number;
  /** Most copies held unacknowledged per user. */
  prefetch: number;
  /** The store whose pending index is the truth. */
  store: MessageStore;
  /** Encrypts the content of the copies, which the broker keeps on disk. */
  cipher?: ContentCipher;
  onError?: (error: unknown) => void;
  /** Called with each publisher confirm: true for an ack, false for a nack. */
  onConfirm?: (acked: boolean) => void;
}

interface Held {
  message: MessageRecord;
  tag: number;
}

/** An offline queue of per-user RabbitMQ queues beside the store's pending index. */
export class RabbitOfflineQueue implements OfflineQueue {
  readonly keepsCopies = true;

  #options: RabbitQueueOptions;
  #connection: RabbitConnection;
  #publish: ConfirmChannel | null = null;
  #get: Channel | null = null;
  /** Queues declared on the current connection. */
  #declared = new Set<string>();
  /** Copies taken from each user's queue and not yet acknowledged. */
  #held = new Map<string, Map<string, Held>>();
  /** Ids settled before their copy was taken: acknowledged as soon as it is. */
  #settledEarly = new Map<string, Set<string>>();
  /** Each user's copies being taken, which a release waits for. */
  #taking = new Map<string, Promise<void>>();

  /** Creates the queue; `open()` connects. */
  constructor(options: RabbitQueueOptions) {
    this.#options = options;
    this.#connection = new RabbitConnection({
      url: options.url,
      onOpen: ({ publish, get }) => {
        this.#publish = publish;
        this.#get = get;
      },
      onLost: (error) => {
        // The broker requeues whatever the dead channels held.
        this.#publish = this.#get = null;
        this.#declared.clear();
        this.#held.clear();
        options.onError?.(error);
      },
    });
  }

  /** Connects; when the broker is down, keeps trying in the background. */
  open(): Promise<boolean> {
    return this.#connection.open();
  }

  #queue(userId: string): string {
    return `${this.#options.queuePrefix}offline.${userId}`;
  }

  async #declare(channel: Channel, userId: string): Promise<string> {
    const name = this.#queue(userId);
    if (this.#declared.has(name)) return name;
    await channel.assertQueue(name, {
      durable: true,
      arguments: {
        "x-message-ttl": this.#options.messageTtlMs,
        "x-max-length": this.#options.maxLength,
        "x-overflow": "drop-head",
        "x-expires": this.#options.messageTtlMs,
      },
    });
    this.#declared.add(name);
    return name;
  }

  async enqueue(userId: string, message: MessageRecord): Promise<void> {
    const channel = this.#publish;
    if (!channel) throw new UnavailableError("Cannot enqueue message: RabbitMQ is down");
    const name = await this.#declare(channel, userId);
    const cipher = this.#options.cipher;
    const sealed = cipher
      ? { ...message, content: await cipher.encrypt(message.content, message.id) }
      : message;
    const body = Buffer.from(JSON.stringify(sealed));
    // Resolves only on the broker's confirm: the copy is on disk before the sender's ack.
    await new Promise<void>((resolve, reject) =>
      channel.sendToQueue(name, body, {
        persistent: true,
        messageId: message.id,
        contentType: "application/json",
      }, (
        error,
      ) => {
        this.#options.onConfirm?.(!error);
        if (error) reject(new UnavailableError("Cannot enqueue message", { cause: error }));
        else resolve();
      })
    );
  }

  async backlog(
    userId: string,
    options: { after?: PendingCursor; limit: number },
  ): Promise<MessageRecord[]> {
    let page: MessageRecord[] | null = null;
    try {
      page = await this.#options.store.listPending(userId, options);
    } catch (error) {
      this.#options.onError?.(error);
    }
    if (!options.after) {
      const taking: Promise<void> = this.#take(userId, page, options.limit)
        .catch((e) => this.#options.onError?.(e))
        .finally(() => this.#taking.get(userId) === taking && this.#taking.delete(userId));
      this.#taking.set(userId, taking);
      // The copies are a fallback: with the store's page in hand the drain starts at once
      // rather than after up to a prefetch of gets, one round trip each (~100 ms for 256).
      // Acks that arrive before their copy is taken are remembered (#settledEarly).
      if (!page) await taking;
    }
    if (page) return page;
    // The store is unreadable: go on from the copies held here, in (chat, seq) order.
    const held = [...(this.#held.get(userId)?.values() ?? [])].map((h) => h.message);
    return held.filter((m) => !options.after || after(m, options.after)).sort(order).slice(
      0,
      options.limit,
    );
  }

  /**
   * Takes copies up to the prefetch window; acknowledges those already delivered.
   * At most a prefetch of gets per call, so that acks arriving meanwhile (their
   * copies acknowledged, not held) cannot keep it reading a whole queue.
   */
  async #take(userId: string, page: MessageRecord[] | null, limit: number): Promise<void> {
    const channel = this.#get;
    if (!channel) return;
    const name = await this.#declare(channel, userId);
    let held = this.#held.get(userId);
    if (!held) this.#held.set(userId, held = new Map());
    for (
      let gets = 0;
      gets < this.#options.prefetch && held.size < this.#options.prefetch;
      gets++
    ) {
      const got: GetMessage | false = await channel.get(name, { noAck: false });
      if (!got) break;
      const message = JSON.parse(got.content.toString()) as MessageRecord;
      if (this.#options.cipher) {
        message.content = await this.#options.cipher.decrypt(message.content, message.id);
      }
      // Looked up after each get: acks go on arriving while the copies are taken.
      const early = this.#settledEarly.get(userId);
      if (early?.delete(message.id) || held.has(message.id)) channel.ack(got);
      else held.set(message.id, { message, tag: got.fields.deliveryTag });
    }
    // A full read of the pending index shows which held copies are stale (delivered already).
    if (page && page.length < limit) {
      const pending = new Set(page.map((m) => m.id));
      for (const [id, h] of held) {
        if (!pending.has(id)) {
          channel.ack({ fields: { deliveryTag: h.tag } } as GetMessage);
          held.delete(id);
        }
      }
    }
  }

  settle(userId: string, refs: readonly MessageRef[]): Promise<void> {
    const channel = this.#get;
    const held = this.#held.get(userId);
    for (const ref of refs) {
      const h = held?.get(ref.messageId);
      if (h && channel) {
        channel.ack({ fields: { deliveryTag: h.tag } } as GetMessage);
        held!.delete(ref.messageId);
      } else {
        let early = this.#settledEarly.get(userId);
        if (!early) this.#settledEarly.set(userId, early = new Set());
        early.add(ref.messageId);
        // Most settled messages never had a copy (their recipient was online): keep the
        // newest only. A copy whose id was dropped here is caught as stale by #take.
        if (early.size > this.#options.prefetch * 16) early.delete(early.values().next().value!);
      }
    }
    return Promise.resolve();
  }

  async release(userId: string): Promise<void> {
    // Copies still being taken would otherwise stay held, unacknowledged, until the
    // channel closes: let the take finish, then return what it holds.
    await this.#taking.get(userId);
    const channel = this.#get;
    for (const h of this.#held.get(userId)?.values() ?? []) {
      channel?.nack({ fields: { deliveryTag: h.tag } } as GetMessage, false, true);
    }
    this.#held.delete(userId);
    this.#settledEarly.delete(userId);
  }

  ping(): Promise<void> {
    return this.#connection.up
      ? Promise.resolve()
      : Promise.reject(new UnavailableError("RabbitMQ is down"));
  }

  async close(): Promise<void> {
    for (const userId of [...this.#held.keys()]) await this.release(userId);
    await this.#connection.close();
  }
}

function order(a: MessageRecord, b: MessageRecord): number {
  return a.chatId === b.chatId ? a.seq - b.seq : a.chatId < b.chatId ? -1 : 1;
}

function after(m: MessageRecord, cursor: PendingCursor): boolean {
  return m.chatId > cursor.chatId || (m.chatId === cursor.chatId && m.seq > cursor.seq);
}
