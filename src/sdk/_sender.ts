/**
 * Sending the outbox: one entry at a time, oldest first, so the server gets the
 * messages in the order written, until the server acknowledges each. An entry
 * leaves the outbox only on the server's answer: stored, or refused for good.
 * No ack in time, `unavailable` and `rate_limited` keep it for a later try;
 * the server stores a repeated `clientMsgId` once, so a retry never duplicates.
 * An entry's files are uploaded in its turn (`_outbox_files.ts`).
 * @module
 */
import type { Socket } from "socket.io-client";
import { ClientEvents } from "../protocol/events.ts";
import type { Ack } from "../protocol/errors.ts";
import type { MessageView } from "../protocol/objects.ts";
import type { Emitter } from "./_emitter.ts";
import { ChatClientError, RETRYABLE } from "./errors.ts";
import { RetryTimer } from "./_retry.ts";
import type { ChatClientEvents } from "./events.ts";
import type { OutboxEntry, OutboxFileStorage, OutboxStorage, SendOptions } from "./outbox.ts";
import { newEntry } from "./outbox.ts";
import { KeptOutbox, merged } from "./_kept_outbox.ts";
import { OutboxFiles, type Upload } from "./_outbox_files.ts";
import { atLeast, trimOldest } from "../core/trim.ts";

// How many answered entries are remembered, against a slow load bringing them back.
const ANSWERED_KEPT = atLeast(1000);

/** Sends a client's outbox over its socket and settles each `send()`. */
export class Sender {
  #socket: Socket;
  #events: Emitter<ChatClientEvents>;
  #kept: KeptOutbox;
  #files: OutboxFiles;
  #ackTimeoutMs: number;
  #outbox: OutboxEntry[] = [];
  /** Settles once what the storage held is in the outbox: sending waits for it. */
  #loaded: Promise<void>;
  /** Entries answered or cancelled: a load that began before their removal was saved skips them. */
  #answered = new Set<string>();
  #waiting = new Map<string, { resolve(m: MessageView): void; reject(e: Error): void }>();
  #flushing = false;
  #retry = new RetryTimer();

  /**
   * Creates the sender; it loads what `storage` kept from before (an async one
   * meanwhile). Files' bytes wait in `files`, and go up with `upload`.
   */
  constructor(
    socket: Socket,
    events: Emitter<ChatClientEvents>,
    options: {
      storage: OutboxStorage;
      files: OutboxFileStorage;
      upload: Upload;
      ackTimeoutMs: number;
    },
  ) {
    this.#socket = socket;
    this.#events = events;
    this.#kept = new KeptOutbox(options.storage, (e) => events.notify("outboxError", e));
    this.#files = new OutboxFiles(options.files, options.upload, events);
    this.#ackTimeoutMs = options.ackTimeoutMs;
    this.#loaded = this.#kept.load((entries) => this.#takeIn(entries, "first"));
  }

  /** Entries written but not yet acknowledged, oldest first. */
  get outbox(): readonly OutboxEntry[] {
    return this.#outbox;
  }

  /** Adds a message to the outbox; resolves once stored, rejects when refused for good. */
  send(chatId: string, content: string, options: SendOptions): Promise<MessageView> {
    const entry = newEntry(chatId, content, options);
    if (options.files?.length) entry.files = this.#files.keep(entry.clientMsgId, options.files);
    const stored = new Promise<MessageView>((resolve, reject) => {
      this.#waiting.set(entry.clientMsgId, { resolve, reject });
    });
    this.#outbox.push(entry);
    this.#save();
    this.flush();
    return stored;
  }

  /** Sends what the outbox holds, if connected and not sending already. */
  async flush(): Promise<void> {
    if (this.#flushing || !this.#socket.connected) return;
    this.#flushing = true;
    this.#retry.cancel();
    try {
      await this.#loaded;
      while (this.#outbox.length > 0 && this.#socket.connected) {
        const entry = this.#outbox[0];
        const ack = await this.#answer(entry);
        if (!this.#outbox.includes(entry)) continue; // cancelled while its files went up
        if (!ack) return; // tried again later
        this.#retry.succeeded();
        this.#finish(entry, ack.ok ? ack.message : new ChatClientError(ack.error));
        if (ack.ok) this.#events.notify("sent", ack.message);
        else this.#events.notify("failed", entry, ack.error);
      }
    } finally {
      this.#flushing = false;
    }
  }

  /**
   * Takes in what the storage holds beyond this client's entries: messages that
   * another tab of the same user, closed since, left unsent. Called on connect.
   * An entry of a tab still open goes out from both; the server stores it once.
   */
  adopt(): void {
    const load = () => this.#kept.load((entries) => this.#takeIn(entries, "last"));
    this.#loaded = this.#loaded.then(load);
  }

  /**
   * Takes an entry out before the server was first asked to store it: its
   * `send()` rejects with an `AbortError`, its upload stops, its files' bytes
   * go. False when the outbox does not hold it or it was `tried` (it may be stored).
   */
  cancel(clientMsgId: string): boolean {
    const entry = this.#outbox.find((e) => e.clientMsgId === clientMsgId);
    if (!entry || entry.tried) return false;
    this.#finish(entry, new DOMException("Cannot send message: it was cancelled", "AbortError"));
    return true;
  }

  /** Stops retrying; the outbox storage keeps what was not sent. */
  stop(): void {
    this.#retry.cancel();
  }

  // The server's answer to `entry`, its files uploaded first; none when it is to be tried later.
  async #answer(entry: OutboxEntry): Promise<Ack<{ message: MessageView }> | null> {
    // The entry holds only what was set: all of it but the time and the files' keys goes out.
    const { createdAt: _, files, tried: __, ...payload } = entry;
    if (files?.length) {
      const uploaded = await this.#files.upload(entry, () => this.#save());
      if (!this.#outbox.includes(entry)) return null; // cancelled meanwhile: nothing to retry
      if (!uploaded.ok && uploaded.error) return uploaded;
      if (!uploaded.ok) return this.#retryLater(uploaded.retryAfterMs);
      payload.attachments = uploaded.ids;
    }
    if (!entry.tried) {
      // From its first try on the server may store it: kept so before, for a cancel after a restart.
      entry.tried = true;
      this.#save();
      await this.#kept.kept();
    }
    let ack: Ack<{ message: MessageView }>;
    try {
      const socket = this.#socket.timeout(this.#ackTimeoutMs);
      ack = await socket.emitWithAck(ClientEvents.messageSend, payload);
    } catch {
      return this.#retryLater(); // no ack in time: the connection is likely gone
    }
    if (!ack.ok && RETRYABLE.has(ack.error.code)) return this.#retryLater(ack.error.retryAfterMs);
    return ack;
  }

  // Takes `entry` out for good, answered or cancelled: its files go (their upload stops), a load
  // does not bring it back, and its `send()` settles with `outcome`.
  #finish(entry: OutboxEntry, outcome: MessageView | Error): void {
    this.#outbox = this.#outbox.filter((e) => e !== entry);
    this.#files.drop(entry);
    this.#answered.add(entry.clientMsgId);
    trimOldest(this.#answered, ANSWERED_KEPT);
    this.#save();
    const waiter = this.#waiting.get(entry.clientMsgId);
    this.#waiting.delete(entry.clientMsgId);
    if (outcome instanceof Error) waiter?.reject(outcome);
    else waiter?.resolve(outcome);
  }

  // Tries the outbox again after `ms` (the server's or a proxy's `retryAfterMs`), else backs off.
  // A reconnect tries at once (`flush`), whatever the wait.
  #retryLater(ms?: number): null {
    this.#retry.later(() => this.flush(), ms);
    return null;
  }

  /**
   * Adds the entries read that the outbox does not hold: those of an earlier
   * run go `first` (they are older than what was written since), another
   * tab's `last`. When this client wrote entries meanwhile, the merged list is
   * saved: their saves waited for the read, so the storage holds none of them.
   */
  #takeIn(entries: OutboxEntry[], where: "first" | "last"): void {
    const next = merged(this.#outbox, entries, { where, skip: this.#answered });
    if (!next) return;
    const own = this.#outbox.length > 0;
    this.#outbox = next;
    if (own) this.#save();
    else this.#events.notify("outbox", this.#outbox);
  }

  #save(): void {
    this.#kept.save(this.#outbox);
    this.#events.notify("outbox", this.#outbox);
  }
}
