/**
 * The copies this node holds from users' offline queues: taken with manual
 * acknowledgement, at most a prefetch per user; acknowledged once a device
 * acknowledged the message; returned to the queue when the user's last session
 * here ends. The broker requeues whatever a dead channel held. When the store
 * lists a user's whole backlog, what is left in the queue is purged.
 * @module
 */
import type { Channel, GetMessage } from "amqplib";
import type { ContentCipher, PendingCursor } from "../../core/ports.ts";
import type { MessageRecord, MessageRef } from "../../core/types.ts";
import { atMost, trimOldest } from "../../core/trim.ts";
import { openMessage } from "../../core/sealing.ts";

interface Held {
  message: MessageRecord;
  tag: number;
}

/** Where a user's queue is, once declared; null while the broker is down. */
export type QueueOf = (userId: string) => Promise<{ channel: Channel; name: string } | null>;

/** Options of the held copies. */
export interface HeldCopiesOptions {
  prefetch: number;
  /** Opens the content of the copies. */
  cipher?: ContentCipher;
  /** Fails a take at once when the broker blocks the connection (a release waits for takes). */
  guard: (take: () => Promise<void>) => Promise<void>;
}

/** Copies held per user, with the acks that came before their copy. */
export class HeldCopies {
  #prefetch: number;
  #cipher?: ContentCipher;
  #guard: HeldCopiesOptions["guard"];
  /** Copies taken from each user's queue and not yet acknowledged. */
  #held = new Map<string, Map<string, Held>>();
  /** Ids settled before their copy was taken: acknowledged as soon as it is. */
  #settledEarly = new Map<string, Set<string>>();
  /** Each user's copies being taken, which a release waits for. */
  #taking = new Map<string, Promise<void>>();
  /** How many early-settled ids a user keeps: the newest, a few prefetches' worth. */
  #earlyBound: { max: number; keep: number };

  /** Creates the bookkeeping. */
  constructor(options: HeldCopiesOptions) {
    this.#prefetch = options.prefetch;
    this.#cipher = options.cipher;
    this.#guard = options.guard;
    this.#earlyBound = atMost(options.prefetch * 16);
  }

  /**
   * Takes a user's copies up to the prefetch; acknowledges those already
   * delivered. `page` is the store's first page of the user's backlog (null when
   * unreadable): when it is the whole backlog, held copies not in it are stale.
   */
  take(queueOf: QueueOf, userId: string, page: MessageRecord[] | null, limit: number) {
    const taking: Promise<void> = this.#guard(() => this.#take(queueOf, userId, page, limit))
      .finally(() => this.#taking.get(userId) === taking && this.#taking.delete(userId));
    this.#taking.set(userId, taking);
    return taking;
  }

  // At most a prefetch of gets per call, so that acks arriving meanwhile (their copies
  // acknowledged, not held) cannot keep it reading a whole queue.
  async #take(queueOf: QueueOf, userId: string, page: MessageRecord[] | null, limit: number) {
    const queue = await queueOf(userId);
    if (!queue) return;
    const { channel, name } = queue;
    let held = this.#held.get(userId);
    if (!held) this.#held.set(userId, held = new Map());
    let empty = false;
    for (let gets = 0; gets < this.#prefetch && held.size < this.#prefetch; gets++) {
      const got: GetMessage | false = await channel.get(name, { noAck: false });
      if (!got) {
        empty = true;
        break;
      }
      const parsed = JSON.parse(got.content.toString()) as MessageRecord;
      const message = this.#cipher ? await openMessage(this.#cipher, parsed) : parsed;
      // Looked up after each get: acks go on arriving while the copies are taken.
      const early = this.#settledEarly.get(userId);
      if (early?.delete(message.id) || held.has(message.id)) channel.ack(got);
      else held.set(message.id, { message, tag: got.fields.deliveryTag });
    }
    if (!page || page.length >= limit) return;
    const pending = new Set(page.map((m) => m.id));
    for (const [id, h] of held) {
      if (!pending.has(id)) {
        channel.ack({ fields: { deliveryTag: h.tag } } as GetMessage);
        held.delete(id);
      }
    }
    // The store listed the whole backlog and this drain delivers it from the store, so the
    // copies left beyond the prefetch serve no one: without the purge they stayed in the
    // broker until their TTL (24 h), a day of every offline recipient's traffic on its disk.
    // A copy published since the page was read goes too; its message is in the store.
    if (!empty) await channel.purgeQueue(name);
  }

  /** The held copies of a user after `after`, in (chat, seq) order. */
  list(userId: string, options: { after?: PendingCursor; limit: number }): MessageRecord[] {
    const held = [...(this.#held.get(userId)?.values() ?? [])].map((h) => h.message);
    const { after: cursor, limit } = options;
    return held.filter((m) => !cursor || after(m, cursor)).sort(order).slice(0, limit);
  }

  /** Acknowledges the copies of delivered messages, or remembers them until taken. */
  settle(channel: Channel | null, userId: string, refs: readonly MessageRef[]): void {
    const held = this.#held.get(userId);
    for (const ref of refs) {
      const h = held?.get(ref.messageId);
      if (h && channel) {
        channel.ack({ fields: { deliveryTag: h.tag } } as GetMessage);
        held!.delete(ref.messageId);
        continue;
      }
      let early = this.#settledEarly.get(userId);
      if (!early) this.#settledEarly.set(userId, early = new Set());
      early.add(ref.messageId);
      // Most settled messages never had a copy (their recipient was online): keep the
      // newest only. A copy whose id was dropped here is caught as stale by a take.
      trimOldest(early, this.#earlyBound);
    }
  }

  /**
   * Returns a user's held copies to the queue. Copies still being taken would
   * otherwise stay held, unacknowledged, until the channel closes: the take ends first.
   */
  async release(channel: Channel | null, userId: string): Promise<void> {
    // A take that failed was reported by whoever started it.
    await this.#taking.get(userId)?.catch(() => {});
    for (const h of this.#held.get(userId)?.values() ?? []) {
      channel?.nack({ fields: { deliveryTag: h.tag } } as GetMessage, false, true);
    }
    this.#held.delete(userId);
    this.#settledEarly.delete(userId);
  }

  /** Users with copies held here. */
  users(): string[] {
    return [...this.#held.keys()];
  }

  /** Forgets every copy: their channel is gone, and the broker requeued them. */
  clear(): void {
    this.#held.clear();
  }
}

function order(a: MessageRecord, b: MessageRecord): number {
  return a.chatId === b.chatId ? a.seq - b.seq : a.chatId < b.chatId ? -1 : 1;
}

function after(m: MessageRecord, cursor: PendingCursor): boolean {
  return m.chatId > cursor.chatId || (m.chatId === cursor.chatId && m.seq > cursor.seq);
}
