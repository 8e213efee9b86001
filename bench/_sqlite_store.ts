/**
 * A prototype of the send and ack path on node:sqlite in a worker, for
 * `bench/store_engines.ts`: what the main thread would pay for the store if the
 * SQLite work ran on a thread of its own. Only `append` and `markDelivered`, with
 * the KV store's semantics; not a store the server can use.
 *
 * Calls that arrive while a batch is in the worker wait and go together in the
 * next one (a group commit, as the KV store's lanes do).
 * @module
 */

/** A send as the worker takes it. */
export interface Send {
  id: string;
  clientMsgId: string;
  chatId: string;
  senderId: string;
  content: string;
  createdAt: string;
}

/** A device's ack of one message. */
export interface Ack {
  userId: string;
  chatId: string;
  seq: number;
}

/** What one worker transaction does. */
export interface Batch {
  chats: { id: string; participantIds: string[]; createdAt: string }[];
  sends: Send[];
  acks: Ack[];
}

/** Per send its seq (negative for a resend, 0 for a refusal); per ack whether it was pending. */
export interface BatchResult {
  seqs: number[];
  acked: boolean[];
}

type Value = number | boolean | undefined;
type Waiter = {
  pick: (result: BatchResult) => Value;
  resolve: (value: Value) => void;
  reject: (error: Error) => void;
};

/** The main thread's side: batches calls and posts them to the worker. */
export class SqliteWorkerStore {
  #worker: Worker;
  #next: { batch: Batch; waiters: Waiter[] } = fresh();
  /** The waiters of the batch in the worker; null when it is idle. */
  #posted: Waiter[] | null = null;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.onmessage = (event) => this.#answered(event.data);
  }

  /** Starts the worker on the file at `path`. */
  static async open(path: string): Promise<SqliteWorkerStore> {
    const worker = new Worker(new URL("./_sqlite_worker.ts", import.meta.url), { type: "module" });
    const ready = new Promise((resolve) => worker.onmessage = resolve);
    worker.postMessage({ path });
    await ready;
    return new SqliteWorkerStore(worker);
  }

  /** Adds a chat and its memberships. */
  addChat(chat: Batch["chats"][number]): Promise<void> {
    this.#next.batch.chats.push(chat);
    return this.#enqueue(() => undefined).then(() => {});
  }

  /** Stores a message; resolves with its seq. */
  append(send: Send): Promise<number> {
    const index = this.#next.batch.sends.push(send) - 1;
    return this.#enqueue((result) => result.seqs[index]) as Promise<number>;
  }

  /** Takes a pending row; resolves with whether it was there. */
  markDelivered(ack: Ack): Promise<boolean> {
    const index = this.#next.batch.acks.push(ack) - 1;
    return this.#enqueue((result) => result.acked[index]) as Promise<boolean>;
  }

  /** Stops the worker. */
  close(): void {
    this.#worker.terminate();
  }

  #enqueue(pick: Waiter["pick"]): Promise<Value> {
    const promise = new Promise<Value>((resolve, reject) =>
      this.#next.waiters.push({ pick, resolve, reject })
    );
    if (!this.#posted) this.#post();
    return promise;
  }

  #post(): void {
    const current = this.#next;
    if (current.waiters.length === 0) return;
    this.#next = fresh();
    this.#posted = current.waiters;
    this.#worker.postMessage(current.batch);
  }

  #answered(data: { result?: BatchResult; error?: string }): void {
    const waiters = this.#posted ?? [];
    this.#posted = null;
    for (const waiter of waiters) {
      if (data.result) waiter.resolve(waiter.pick(data.result));
      else waiter.reject(new Error(`Cannot store batch: ${data.error}`));
    }
    this.#post();
  }
}

function fresh(): { batch: Batch; waiters: Waiter[] } {
  return { batch: { chats: [], sends: [], acks: [] }, waiters: [] };
}
