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
 * the store cannot be read, the drain goes on from the copies held here (but for
 * messages past their `expiresAt`).
 * @module
 */
import type { Channel, ConfirmChannel } from "amqplib";
import { UnavailableError } from "../../core/errors.ts";
import { sealMessage } from "../../core/sealing.ts";
import type { ContentCipher, MessageStore, OfflineQueue, PendingCursor } from "../../core/ports.ts";
import type { MessageRecord, MessageRef } from "../../core/types.ts";
import { RabbitConnection } from "./connection.ts";
import { HeldCopies } from "./_held_copies.ts";

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

/** An offline queue of per-user RabbitMQ queues beside the store's pending index. */
export class RabbitOfflineQueue implements OfflineQueue {
  readonly keepsCopies = true;

  #options: RabbitQueueOptions;
  #connection: RabbitConnection;
  #publish: ConfirmChannel | null = null;
  #get: Channel | null = null;
  /** Queues declared on the current connection. */
  #declared = new Set<string>();
  #copies: HeldCopies;

  /** Creates the queue; `open()` connects. */
  constructor(options: RabbitQueueOptions) {
    this.#options = options;
    this.#copies = new HeldCopies({
      prefetch: options.prefetch,
      cipher: options.cipher,
      guard: (take) => this.#connection.unlessBlocked("Cannot take offline copies", take),
    });
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
        this.#copies.clear();
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
    await this.#connection.unlessBlocked("Cannot enqueue message", async () => {
      const name = await this.#declare(channel, userId);
      const cipher = this.#options.cipher;
      const sealed = cipher ? await sealMessage(cipher, message) : message;
      const body = Buffer.from(JSON.stringify(sealed));
      // Resolves only on the broker's confirm: the copy is on disk before the sender's ack.
      await new Promise<void>((resolve, reject) =>
        channel.sendToQueue(name, body, {
          persistent: true,
          messageId: message.id,
          contentType: "application/json",
        }, (error) => {
          this.#options.onConfirm?.(!error);
          if (error) reject(new UnavailableError("Cannot enqueue message", { cause: error }));
          else resolve();
        })
      );
    });
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
      const queueOf = async (id: string) => {
        const channel = this.#get;
        return channel ? { channel, name: await this.#declare(channel, id) } : null;
      };
      const taking = this.#copies.take(queueOf, userId, page, options.limit)
        .catch((e) => this.#options.onError?.(e));
      // The copies are a fallback: with the store's page in hand the drain starts at once
      // rather than after up to a prefetch of gets, one round trip each (~100 ms for 256).
      if (!page) await taking;
    }
    if (page) return page;
    // The store is unreadable: go on from the copies held here, but for those whose
    // time is up (disappearing messages), which the store would show taken down.
    const now = new Date().toISOString();
    return this.#copies.list(userId, options).filter((m) => !m.expiresAt || m.expiresAt > now);
  }

  settle(userId: string, refs: readonly MessageRef[]): Promise<void> {
    this.#copies.settle(this.#get, userId, refs);
    return Promise.resolve();
  }

  release(userId: string): Promise<void> {
    return this.#copies.release(this.#get, userId);
  }

  ping(): Promise<void> {
    const { up, blocked } = this.#connection;
    if (!up) return Promise.reject(new UnavailableError("RabbitMQ is down"));
    // Connected, but queueing nothing during a resource alarm: operators should see it.
    if (blocked) {
      return Promise.reject(new UnavailableError(`RabbitMQ blocks publishers (${blocked})`));
    }
    return Promise.resolve();
  }

  async close(): Promise<void> {
    for (const userId of this.#copies.users()) await this.release(userId);
    await this.#connection.close();
  }
}
