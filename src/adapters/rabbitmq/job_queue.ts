/**
 * Jobs (push notifications, the app's events) in a durable RabbitMQ work queue
 * shared by every node. A job is acknowledged once its handler is done with it
 * (sent, or given up after retries); a node that dies or closes mid-retry hands
 * its jobs to another node.
 * @module
 */
import type { Channel, ConfirmChannel, ConsumeMessage } from "amqplib";
import { UnavailableError } from "../../core/errors.ts";
import type { JobQueue } from "../../core/ports.ts";
import { RabbitConnection } from "./connection.ts";

/** Options of a RabbitMQ job queue. */
export interface RabbitJobQueueOptions {
  url: string;
  /** The queue is `<queuePrefix><name>`. */
  queuePrefix: string;
  /** What the jobs are, as in "push.jobs"; also named in errors. */
  name: string;
  /** Jobs handled at once by this node. */
  prefetch: number;
  onError?: (error: unknown) => void;
}

/** A job queue on RabbitMQ. */
export class RabbitJobQueue<T> implements JobQueue<T> {
  #options: RabbitJobQueueOptions;
  #connection: RabbitConnection;
  #publish: ConfirmChannel | null = null;
  #consume: Channel | null = null;
  #handler: ((job: T) => Promise<void>) | null = null;
  #running = new Set<Promise<void>>();
  /** The publish channel the queue was declared on: once per channel, not per job. */
  #declaredOn: ConfirmChannel | null = null;

  /** Creates the queue; `open()` connects. */
  constructor(options: RabbitJobQueueOptions) {
    this.#options = options;
    this.#connection = new RabbitConnection({
      url: options.url,
      onOpen: ({ publish, get }) => {
        this.#publish = publish;
        this.#consume = get;
        this.#subscribe().catch((error) => options.onError?.(error));
      },
      onLost: (error) => {
        this.#publish = this.#consume = null;
        options.onError?.(error);
      },
    });
  }

  get #name(): string {
    return `${this.#options.queuePrefix}${this.#options.name}`;
  }

  /** Connects; when the broker is down, keeps trying in the background. */
  open(): Promise<boolean> {
    return this.#connection.open();
  }

  async publish(job: T): Promise<void> {
    const channel = this.#publish;
    const what = `Cannot queue job on ${this.#name}`;
    if (!channel) throw new UnavailableError(`${what}: RabbitMQ is down`);
    await this.#connection.unlessBlocked(what, async () => {
      if (this.#declaredOn !== channel) await this.#declare(channel);
      await new Promise<void>((resolve, reject) =>
        channel.sendToQueue(
          this.#name,
          Buffer.from(JSON.stringify(job)),
          { persistent: true },
          (error) => error ? reject(error) : resolve(),
        )
      );
    });
  }

  async waiting(): Promise<number> {
    const channel = this.#publish;
    const what = `Cannot count jobs on ${this.#name}`;
    if (!channel) throw new UnavailableError(`${what}: RabbitMQ is down`);
    return (await this.#connection.unlessBlocked(what, () => this.#declare(channel))).messageCount;
  }

  // Declared rather than checked, also to count: checking a queue that is not there yet is a
  // channel error, which drops the connection.
  async #declare(channel: ConfirmChannel) {
    const queue = await channel.assertQueue(this.#name, { durable: true });
    this.#declaredOn = channel;
    return queue;
  }

  async consume(handler: (job: T) => Promise<void>): Promise<void> {
    this.#handler = handler;
    await this.#subscribe();
  }

  async close(): Promise<void> {
    this.#handler = null;
    await Promise.allSettled([...this.#running]);
    await this.#connection.close();
  }

  async #subscribe(): Promise<void> {
    const channel = this.#consume;
    if (!channel || !this.#handler) return;
    await channel.assertQueue(this.#name, { durable: true });
    await channel.prefetch(this.#options.prefetch);
    await channel.consume(this.#name, (message: ConsumeMessage | null) => {
      if (!message || !this.#handler) return;
      const run = this.#handler(JSON.parse(message.content.toString()) as T)
        .then(() => true, () => false)
        .then((done) => {
          this.#running.delete(run);
          // A channel that died meanwhile requeued the job: nothing to acknowledge.
          if (this.#consume !== channel) return;
          // A handler that did not finish (this node is closing) hands the job back.
          if (done) channel.ack(message);
          else channel.nack(message, false, true);
        });
      this.#running.add(run);
    }, { noAck: false });
  }
}
