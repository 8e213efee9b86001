/**
 * A RabbitMQ connection that comes back by itself. amqplib does not reconnect:
 * this does, with backoff, and tells its owner when a new channel is ready.
 * @module
 */
import amqp from "amqplib";
import type { Channel, ChannelModel, ConfirmChannel } from "amqplib";
import { UnavailableError } from "../../core/errors.ts";

/** Options of the reconnecting connection. */
export interface RabbitConnectionOptions {
  url: string;
  /** Called with fresh channels after every (re)connect. */
  onOpen: (channels: { publish: ConfirmChannel; get: Channel }) => void;
  /** Called when the connection is lost; what the channels held is requeued by the broker. */
  onLost: (error: unknown) => void;
}

/** Keeps one connection with a confirm channel for publishing and a channel for gets. */
export class RabbitConnection {
  #options: RabbitConnectionOptions;
  #model: ChannelModel | null = null;
  #channels: Channel[] = [];
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
  /** Why the broker blocks this connection's publishes, while it does. */
  #blocked: string | null = null;
  #onBlocked = new Set<() => void>();

  /** Creates the connection; call `open()` to connect. */
  constructor(options: RabbitConnectionOptions) {
    this.#options = options;
  }

  /** Whether channels are open now. */
  get up(): boolean {
    return this.#model !== null;
  }

  /** Why the broker blocks this connection's publishes (as "low on memory"); null when it does not. */
  get blocked(): string | null {
    return this.#blocked;
  }

  /** Connects once; on failure, keeps retrying in the background and resolves false. */
  async open(): Promise<boolean> {
    try {
      // amqplib leaves Nagle's algorithm on: a small frame written while another is
      // unacknowledged waited for the broker's delayed ACK, ~40 ms (a get after an ack).
      const model = await amqp.connect(this.#options.url, { noDelay: true });
      const [publish, get] = await Promise.all([
        model.createConfirmChannel(),
        model.createChannel(),
      ]);
      const lost = (error: unknown) => this.#lost(model, error);
      model.on("error", lost);
      model.on("close", lost);
      model.on("blocked", (reason: string) => {
        this.#blocked = reason;
        for (const fail of this.#onBlocked) fail();
      });
      model.on("unblocked", () => this.#blocked = null);
      // A channel error (such as a queue declared with other arguments) closes the channel:
      // drop the whole connection and start clean rather than run half-open.
      for (const channel of [publish, get]) {
        channel.on("error", () => {});
        channel.on("close", () => {
          if (!this.#closed) model.close().catch(() => {});
        });
      }
      if (this.#closed) {
        await model.close().catch(() => {});
        return false;
      }
      this.#model = model;
      this.#channels = [publish, get];
      this.#attempt = 0;
      this.#options.onOpen({ publish, get });
      return true;
    } catch (error) {
      this.#retry(error);
      return false;
    }
  }

  /**
   * Runs `exchange` (a publish and its confirm, gets) unless the broker blocks this
   * connection: in a resource alarm (memory or disk) it stops reading from
   * publishing connections for as long as the alarm lasts, and an answer would wait
   * that long, holding up the send (or the stop) behind it. So it throws at once
   * while blocked, and an exchange still waiting when the block starts throws then
   * (a publish may land later: a copy or a job twice is what at-least-once allows).
   */
  async unlessBlocked<T>(what: string, exchange: () => Promise<T>): Promise<T> {
    const error = () =>
      new UnavailableError(`${what}: RabbitMQ blocks publishers (${this.#blocked})`);
    if (this.#blocked !== null) throw error();
    let fail = () => {};
    const blocked = new Promise<never>((_, reject) => fail = () => reject(error()));
    this.#onBlocked.add(fail);
    try {
      return await Promise.race([exchange(), blocked]);
    } finally {
      this.#onBlocked.delete(fail);
    }
  }

  /** Closes for good, after everything sent on the channels (acks too) reached the broker. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const model = this.#model;
    this.#model = null;
    // Closing the connection alone can overtake frames still queued on its channels;
    // a channel's close waits for the broker's CloseOk, which follows them. A blocked
    // connection gets no CloseOk: amqplib then drops it at once.
    if (this.#blocked === null) {
      await Promise.allSettled(this.#channels.map((channel) => channel.close()));
    }
    this.#channels = [];
    await model?.close().catch(() => {});
  }

  #lost(model: ChannelModel, error: unknown): void {
    if (this.#model !== model) return;
    this.#model = null;
    this.#blocked = null;
    this.#options.onLost(error);
    this.#retry(error);
  }

  #retry(_error: unknown): void {
    if (this.#closed || this.#timer) return;
    // Back off up to 5 s: a broker restart takes seconds, and every node retries.
    const delay = Math.min(5000, 100 * 2 ** this.#attempt++);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.open();
    }, delay);
  }
}
