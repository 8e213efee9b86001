/**
 * The ports of work done after a send, off its path: queues of jobs (push
 * notifications, the app's events) and what sends each job where it goes.
 * @module
 */

/** A push notification for a recipient with no connected device (the seed's FCM payload). */
export interface PushJob {
  recipientId: string;
  chatId: string;
  messageId: string;
  senderName: string;
  /** The first 100 characters of the content. */
  preview: string;
  /**
   * Set when the message mentions the recipient or replies to a message of
   * theirs (it went through a mute, if any).
   */
  mentioned?: true;
}

/** Hands jobs (push notifications, the app's events) to workers; a durable one keeps them. */
export interface JobQueue<T> {
  /** Queues a job. */
  publish(job: T): Promise<void>;
  /** Runs `handler` for each job; a job is done when the handler settles. */
  consume(handler: (job: T) => Promise<void>): Promise<void>;
  /**
   * How many jobs no worker has taken yet, on any node (a job a worker is
   * retrying is not counted); rejects when the queue cannot tell. A queue that
   * must read every job to count may stop at a limit of its own (KV: 10,000).
   */
  waiting(): Promise<number>;
  /** Stops consuming and releases connections. */
  close(): Promise<void>;
}

/** Delivers one job to where it goes (a webhook, FCM, Web Push); throws on failure. */
export interface JobSender<T> {
  send(job: T): Promise<void>;
}
