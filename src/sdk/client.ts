/**
 * The client SDK: a Socket.IO client that keeps the delivery guarantee for you.
 *
 * - `send()` puts the message in an outbox with a fresh `clientMsgId` and sends
 *   the outbox in order until the server acknowledges each entry, across
 *   dropped connections and (with a persistent outbox) page reloads. The server
 *   stores a repeated `clientMsgId` once, so a retry never duplicates.
 * - A received message is acknowledged only after your handler ran; if it
 *   throws, the server delivers the message again later. Repeats of a message
 *   already handled (at-least-once on the wire) are acked and dropped.
 * @module
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import { ClientEvents, ServerEvents } from "../protocol/events.ts";
import type { Ack } from "../protocol/errors.ts";
import type { MessageView } from "../protocol/objects.ts";
import { Emitter } from "./_emitter.ts";
import { forwardNotifications } from "./_forward.ts";
import { ChatClientError, RETRYABLE } from "./errors.ts";
import type { ChatClientEvents } from "./events.ts";
import { Inbox } from "./_inbox.ts";
import { memoryOutbox, type OutboxEntry, type OutboxStorage } from "./outbox.ts";

/** Options of a chat client. */
export interface ChatClientOptions {
  /** The server's base URL, e.g. `http://localhost:3000`. */
  url: string;
  /** An access token from `POST /api/auth/login` or `register`. */
  token: string;
  /** Where unsent messages are kept; in memory by default. */
  outbox?: OutboxStorage;
  /** How long to wait for the server's ack of a send before retrying (default 10 s). */
  ackTimeoutMs?: number;
  /** Passed to socket.io-client (transports, reconnection delays, ...). */
  socket?: Partial<ManagerOptions & SocketOptions>;
}

/** A connected user's client. */
export class ChatClient {
  #socket: Socket;
  #events = new Emitter<ChatClientEvents>();
  #storage: OutboxStorage;
  #outbox: OutboxEntry[];
  #waiting = new Map<string, { resolve(m: MessageView): void; reject(e: Error): void }>();
  #inbox = new Inbox((message) => this.#events.emit("message", message));
  #flushing = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #ackTimeoutMs: number;

  /** Creates the client; nothing happens until `connect()`. */
  constructor(options: ChatClientOptions) {
    this.#storage = options.outbox ?? memoryOutbox();
    this.#outbox = this.#storage.load();
    this.#ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    const socket = this.#socket = io(options.url, {
      auth: { token: options.token },
      autoConnect: false,
      transports: ["websocket"],
      ...options.socket,
    });
    socket.on("connect", () => {
      this.#events.notify("connection", "connected");
      this.#flush();
    });
    socket.on("disconnect", () => this.#events.notify("connection", "disconnected"));
    socket.on("connect_error", (error) => {
      if (error.message === "unauthorized") this.#events.notify("connection", "unauthorized");
    });
    socket.on(ServerEvents.messageReceived, (m: MessageView, ack?: () => void) => {
      this.#inbox.receive(m, ack);
    });
    forwardNotifications(socket, this.#events);
  }

  /** Connects, and reconnects by itself after a drop until `close()`. */
  connect(): this {
    this.#socket.connect();
    return this;
  }

  /** Disconnects for good; unsent messages stay in the outbox storage. */
  close(): void {
    clearTimeout(this.#retry);
    this.#socket.close();
  }

  /** Uses a new token (`RestClient.refresh()`) from the next reconnect on. */
  setToken(token: string): void {
    this.#socket.auth = { token };
  }

  /** Whether the socket is connected now. */
  get connected(): boolean {
    return this.#socket.connected;
  }

  /** Messages written but not yet acknowledged by the server, oldest first. */
  get outbox(): readonly OutboxEntry[] {
    return this.#outbox;
  }

  /** Subscribes to an event; returns a function that unsubscribes. */
  on<K extends keyof ChatClientEvents>(event: K, handler: ChatClientEvents[K]): () => void {
    return this.#events.on(event, handler);
  }

  /**
   * Sends a message: resolves with it once the server stored it (status `sent`),
   * however many reconnects that takes; rejects with `ChatClientError` only when
   * the server refuses it for good (not a participant, too long, ...).
   */
  send(chatId: string, content: string): Promise<MessageView> {
    const entry = {
      clientMsgId: crypto.randomUUID(),
      chatId,
      content,
      createdAt: new Date().toISOString(),
    };
    const stored = new Promise<MessageView>((resolve, reject) => {
      this.#waiting.set(entry.clientMsgId, { resolve, reject });
    });
    this.#outbox.push(entry);
    this.#saveOutbox();
    this.#flush();
    return stored;
  }

  /** Marks a chat read up to `upToSeq`: the senders' ticks turn to read. */
  async markRead(chatId: string, upToSeq: number): Promise<void> {
    await this.#call(ClientEvents.messageMarkRead, { chatId, upToSeq });
  }

  /**
   * Asks the server to send the backlog again, timed-out messages included;
   * resolves with how many were acknowledged, when this device is caught up.
   */
  async catchUp(): Promise<number> {
    return (await this.#call<{ delivered: number }>(ClientEvents.userReconnected)).delivered;
  }

  /** Tells the chat's other participants that this user is typing (expires by itself). */
  async typing(chatId: string, typing = true): Promise<void> {
    await this.#call(typing ? ClientEvents.chatTyping : ClientEvents.chatStopTyping, { chatId });
  }

  // One request with an ack: its payload, or the server's refusal as a ChatClientError.
  async #call<T extends object = Record<never, never>>(
    event: string,
    ...payload: unknown[]
  ): Promise<T> {
    const ack: Ack<T> = await this.#socket.timeout(this.#ackTimeoutMs)
      .emitWithAck(event, ...payload);
    if (!ack.ok) throw new ChatClientError(ack.error);
    return ack;
  }

  // One send at a time, oldest first: the server gets them in the order written.
  async #flush(): Promise<void> {
    if (this.#flushing || !this.#socket.connected) return;
    this.#flushing = true;
    clearTimeout(this.#retry);
    try {
      while (this.#outbox.length > 0 && this.#socket.connected) {
        const entry = this.#outbox[0];
        let ack: Ack<{ message: MessageView }>;
        try {
          ack = await this.#socket.timeout(this.#ackTimeoutMs).emitWithAck(
            ClientEvents.messageSend,
            { chatId: entry.chatId, content: entry.content, clientMsgId: entry.clientMsgId },
          );
        } catch {
          return this.#retryLater(1000); // no ack in time: the connection is likely gone
        }
        if (!ack.ok && RETRYABLE.has(ack.error.code)) {
          return this.#retryLater(ack.error.retryAfterMs ?? 1000);
        }
        this.#outbox.shift();
        this.#saveOutbox();
        const waiter = this.#waiting.get(entry.clientMsgId);
        this.#waiting.delete(entry.clientMsgId);
        if (ack.ok) {
          waiter?.resolve(ack.message);
          this.#events.notify("sent", ack.message);
        } else {
          waiter?.reject(new ChatClientError(ack.error));
          this.#events.notify("failed", entry, ack.error);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  #retryLater(ms: number): void {
    this.#retry = setTimeout(() => this.#flush(), ms);
  }

  #saveOutbox(): void {
    this.#storage.save(this.#outbox);
    this.#events.notify("outbox", this.#outbox);
  }
}
