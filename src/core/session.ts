/**
 * One device's delivery session: a pump that reads the user's backlog in
 * (chat, seq) order and emits it with a window of messages awaiting ack.
 *
 * Live messages take the same path: a send stores the message, then rings the
 * recipients' sessions, which read it from the backlog. So a message is never
 * emitted before older pending ones of its chat, and one sent while its recipient
 * is connecting cannot be stranded: the socket's session exists before its first
 * read of the backlog, so a ring either finds it or the read finds the message.
 * The shortcut is `offer()`: a session takes a stored message directly when its
 * seq follows the last one it saw, else keeps it for the read it kicks, which
 * lacks a message another device of the user acknowledged first.
 * @module
 */
import type { PendingCursor } from "./ports.ts";
import type { MessageRecord } from "./types.ts";
import { toMessageView } from "./views.ts";
import { OfferedMessages } from "./_offered.ts";
import type { DeviceChannel, SessionDeps, SessionOptions } from "./_session_deps.ts";

export type { DeviceChannel, SessionDeps, SessionOptions };

/** The delivery pump of one connected device. */
export class DeliverySession {
  readonly userId: string;
  readonly deviceId: string;
  #channel: DeviceChannel;
  #deps: SessionDeps;
  #options: SessionOptions;
  /** Emitted, awaiting the device's ack. */
  #inFlight = new Map<string, Promise<void>>();
  /** Acked, until the store has marked them delivered. */
  #settling = new Set<string>();
  /**
   * Acked and stored, with the tick at which the store write finished. A backlog
   * read that began before that tick may still list the message; one that began
   * after it cannot, so entries older than the last read's start are dropped.
   */
  #settled = new Map<string, number>();
  #tick = 0;
  /** Timed out: not sent again until the next `drain()` (a reconnect). */
  #skipped = new Set<string>();
  #loop: Promise<void> | null = null;
  #dirty = false;
  #closed = false;
  #slotWaiters: Array<() => void> = [];
  /** Per chat, the highest seq this session emitted or knows is not for it. */
  #lastSeq = new Map<string, number>();
  #offered: OfferedMessages;
  #delivered = 0;

  /** Creates a session; nothing is sent until `kick()` or `drain()`. */
  constructor(
    ids: { userId: string; deviceId: string },
    channel: DeviceChannel,
    deps: SessionDeps,
    options: SessionOptions,
  ) {
    this.userId = ids.userId;
    this.deviceId = ids.deviceId;
    this.#channel = channel;
    this.#deps = deps;
    this.#options = options;
    this.#offered = new OfferedMessages(options.window);
  }

  /** Wakes the pump: the backlog may have grown. */
  kick(): void {
    if (this.#closed) return;
    if (this.#loop) {
      this.#dirty = true;
      return;
    }
    this.#loop = this.#run().finally(() => {
      this.#loop = null;
      // No backlog read is in flight now, so none can list an acked message again.
      this.#settled.clear();
    });
  }

  /**
   * Delivers a message just stored without reading the backlog, when that cannot
   * reorder anything: the session is idle, has a free slot, no timed-out message,
   * and the message follows the last one it saw in the chat. Otherwise it keeps
   * the message for the pass that `kick()` starts, in its place among the backlog.
   */
  offer(message: MessageRecord): void {
    if (this.#closed) return;
    const id = message.id;
    if (this.#holds(id)) return;
    const follows = this.#lastSeq.get(message.chatId) === message.seq - 1;
    const busy = this.#loop || this.#inFlight.size >= this.#options.window;
    // A timed-out message of any chat makes the backlog the safer judge of order.
    if (busy || !follows || this.#skipped.size > 0) {
      this.#offered.keep(message);
      return this.kick();
    }
    this.#emit(message);
  }

  /** Notes a message the user sent: it takes a seq but is not delivered to them. */
  passOwn(message: { chatId: string; seq: number }): void {
    if (this.#lastSeq.get(message.chatId) === message.seq - 1) {
      this.#lastSeq.set(message.chatId, message.seq);
    }
  }

  /** Sends the whole backlog again, timed-out messages too; resolves with how many were acked. */
  async drain(): Promise<number> {
    const before = this.#delivered;
    this.#skipped.clear();
    this.kick();
    while (this.#loop || this.#inFlight.size > 0) {
      await this.#loop;
      await Promise.all(this.#inFlight.values());
    }
    return this.#delivered - before;
  }

  /** Stops the pump; unacknowledged messages stay pending in the store. */
  close(): void {
    this.#closed = true;
    this.#offered.clear();
    for (const wake of this.#slotWaiters.splice(0)) wake();
  }

  async #run(): Promise<void> {
    do {
      this.#dirty = false;
      await this.#pass();
    } while (this.#dirty && !this.#closed);
  }

  async #pass(): Promise<void> {
    let after: PendingCursor | undefined;
    while (!this.#closed) {
      const readStart = ++this.#tick;
      const page = await this.#deps.backlog(after, this.#options.pageSize);
      for (const [id, tick] of this.#settled) if (tick < readStart) this.#settled.delete(id);
      for (const message of page) {
        if (!await this.#takeOffered(this.#offered.before(message))) return;
        if (!await this.#take(message)) return;
      }
      if (page.length < this.#options.pageSize) {
        return void await this.#takeOffered(this.#offered.rest());
      }
      const last = page[page.length - 1];
      after = { chatId: last.chatId, seq: last.seq };
    }
  }

  // Whether this session has the message in flight or acknowledged.
  #holds(id: string): boolean {
    return this.#inFlight.has(id) || this.#settling.has(id) || this.#settled.has(id);
  }

  // Emits a message this session does not have yet, once a slot is free; false once closed.
  async #take(message: MessageRecord): Promise<boolean> {
    if (this.#holds(message.id) || this.#skipped.has(message.id)) return true;
    while (this.#inFlight.size >= this.#options.window && !this.#closed) {
      await new Promise<void>((resolve) => this.#slotWaiters.push(resolve));
    }
    if (!this.#closed) this.#emit(message);
    return !this.#closed;
  }

  // Offered messages the pass did not find, in order; one at or below the last seq emitted in
  // its chat (by an earlier pass, or directly) would come out of order, and is left to history.
  async #takeOffered(offered: MessageRecord[]): Promise<boolean> {
    for (const message of offered) {
      if (message.seq <= (this.#lastSeq.get(message.chatId) ?? 0)) continue;
      if (!await this.#take(message)) return false;
    }
    return true;
  }

  #emit(message: MessageRecord): void {
    const last = this.#lastSeq.get(message.chatId) ?? 0;
    if (message.seq > last) this.#lastSeq.set(message.chatId, message.seq);
    const isNew = message.createdAt >= this.#options.connectedAt;
    const done = this.#channel.deliver(toMessageView(message, isNew)).then(async (acked) => {
      this.#inFlight.delete(message.id);
      this.#slotWaiters.shift()?.();
      if (!acked) {
        this.#skipped.add(message.id);
        return;
      }
      this.#delivered++;
      this.#settling.add(message.id);
      // A failed store write leaves the message pending: it comes again (at least once).
      await this.#deps.acknowledged(message, isNew).then(
        // Only a backlog read already running could still list it.
        () => this.#loop && this.#settled.set(message.id, ++this.#tick),
        () => {},
      );
      this.#settling.delete(message.id);
    });
    this.#inFlight.set(message.id, done);
  }
}
