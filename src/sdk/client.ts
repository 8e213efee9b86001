/**
 * The client SDK: a Socket.IO client that keeps the delivery guarantee for you.
 *
 * - `send()` puts the message in an outbox with a fresh `clientMsgId`, sent in
 *   order until the server acknowledges each, across dropped connections and
 *   (kept) reloads; a repeated `clientMsgId` is stored once (`_sender.ts`).
 * - A received message is acknowledged only after your handler ran; a throw has
 *   it delivered again, and repeats already handled are dropped (`_inbox.ts`).
 * - Edits, deletes and reactions are requests with the server's answer.
 * - Chats opened with `openChat` are joined again on reconnect (`_open_chats.ts`).
 * @module
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import { ClientEvents, ServerEvents } from "../protocol/events.ts";
import type { MessageView } from "../protocol/objects.ts";
import { call } from "./_call.ts";
import { Connection } from "./_connection.ts";
import { Emitter } from "./_emitter.ts";
import { forwardNotifications } from "./_forward.ts";
import type { ChatClientEvents } from "./events.ts";
import { Inbox } from "./_inbox.ts";
import { OpenChats } from "./_open_chats.ts";
import { memoryFileStorage, memoryOutbox } from "./outbox.ts";
import type { OutboxEntry, OutboxFileStorage, OutboxStorage, SendOptions } from "./outbox.ts";
import { restUpload } from "./_outbox_files.ts";
import { Sender } from "./_sender.ts";

/** Options of a chat client. */
export interface ChatClientOptions {
  /** The server's base URL, e.g. `http://localhost:3000`. */
  url: string;
  /** An access token from `POST /api/auth/login` or `register`. */
  token: string;
  /** Where unsent messages are kept; in memory by default. */
  outbox?: OutboxStorage;
  /** Where `send`'s `files` wait for their upload; in memory by default. */
  files?: OutboxFileStorage;
  /** How long to wait for the server's ack of a send before retrying (default 10 s). */
  ackTimeoutMs?: number;
  /** Passed to socket.io-client (transports, reconnection delays, ...). */
  socket?: Partial<ManagerOptions & SocketOptions>;
}

/** A connected user's client. */
export class ChatClient {
  #socket: Socket;
  #events = new Emitter<ChatClientEvents>();
  #sender: Sender;
  #inbox = new Inbox((message) => this.#events.emit("message", message));
  #ackTimeoutMs: number;
  #connection: Connection;
  #openChats: OpenChats;

  /** Creates the client; nothing happens until `connect()`. */
  constructor(options: ChatClientOptions) {
    this.#ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    const socket = this.#socket = io(options.url, {
      auth: { token: options.token },
      autoConnect: false,
      transports: ["websocket"],
      ...options.socket,
    });
    this.#sender = new Sender(socket, this.#events, {
      storage: options.outbox ?? memoryOutbox(),
      files: options.files ?? memoryFileStorage(),
      upload: restUpload(options.url, () => (socket.auth as { token: string }).token),
      ackTimeoutMs: this.#ackTimeoutMs,
    });
    this.#openChats = new OpenChats(socket, this.#events, this.#ackTimeoutMs);
    this.#connection = new Connection(socket, this.#events, () => {
      this.#openChats.rejoin();
      this.#sender.adopt();
      this.#sender.flush();
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
    this.#connection.close();
    this.#sender.stop();
    this.#socket.close();
  }

  /**
   * Uses a new token (`RestClient.refresh()`): a connected socket renews with it (`auth:renew`),
   * so the server does not disconnect it when the old one expires; a socket whose token was
   * refused reconnects with it; otherwise it is used from the next reconnect on. Rejects with
   * `ChatClientError` when the server refuses the renewal (not a valid token of this user).
   */
  setToken(token: string): Promise<void> {
    return this.#connection.setToken(token, this.#ackTimeoutMs);
  }

  /** Whether the socket is connected now. */
  get connected(): boolean {
    return this.#socket.connected;
  }

  /** Messages written but not yet acknowledged by the server, oldest first. */
  get outbox(): readonly OutboxEntry[] {
    return this.#sender.outbox;
  }

  /** Subscribes to an event; returns a function that unsubscribes. */
  on<K extends keyof ChatClientEvents>(event: K, handler: ChatClientEvents[K]): () => void {
    return this.#events.on(event, handler);
  }

  /**
   * Sends a message: resolves with it once stored (status `sent`), however many reconnects that
   * takes; rejects with `ChatClientError` only when the server refuses it for good (not a
   * participant, too long, ...). `replyToId` quotes a message of the chat; `mentions` names
   * participants (user ids), whose push goes through a mute; `forwardOf` forwards a message
   * (`forward`); `files` go up in the message's turn, `attachments` went up with `uploadFile`.
   */
  send(chatId: string, content: string, options: SendOptions = {}): Promise<MessageView> {
    return this.#sender.send(chatId, content, options);
  }

  /**
   * Takes back an unsent message the server was never asked to store (its files stop going
   * up); its `send()` rejects with an `AbortError`. False if not in the outbox, or `tried`.
   */
  cancel(clientMsgId: string): boolean {
    return this.#sender.cancel(clientMsgId);
  }

  /** Forwards a message this user can read to a chat, as it is; it shows `forwarded`. */
  forward(chatId: string, message: Pick<MessageView, "id" | "content">): Promise<MessageView> {
    return this.send(chatId, message.content, { forwardOf: message.id });
  }

  /** Replaces the content of one of this user's messages; resolves with the message as stored. */
  async edit(messageId: string, content: string): Promise<MessageView> {
    return (await this.#call<{ message: MessageView }>(ClientEvents.messageEdit, {
      messageId,
      content,
    })).message;
  }

  /** Deletes one of this user's messages: its content leaves the server, a tombstone stays. */
  async delete(messageId: string): Promise<void> {
    await this.#call(ClientEvents.messageDelete, { messageId });
  }

  /** Adds this user's `emoji` to a message, or takes it back; resolves with all its reactions. */
  async react(messageId: string, emoji: string): Promise<Record<string, string[]>> {
    return (await this.#call<{ reactions: Record<string, string[]> }>(
      ClientEvents.messageReaction,
      { messageId, emoji },
    )).reactions;
  }

  /** Marks a chat read up to `upToSeq`: the senders' ticks turn to read. */
  async markRead(chatId: string, upToSeq: number): Promise<void> {
    await this.#call(ClientEvents.messageMarkRead, { chatId, upToSeq });
  }

  /**
   * Asks the server to send the backlog again, timed-out messages included; resolves with how
   * many were acknowledged, when this device is caught up.
   */
  async catchUp(): Promise<number> {
    return (await this.#call<{ delivered: number }>(ClientEvents.userReconnected)).delivered;
  }

  /** Tells the chat's other participants that this user is typing (expires by itself). */
  async typing(chatId: string, typing = true): Promise<void> {
    await this.#call(typing ? ClientEvents.chatTyping : ClientEvents.chatStopTyping, { chatId });
  }

  /**
   * Opens a chat's live view: its other members see this user there (`user:joined`), and
   * `activeUsers` tells who has it open, now and after each change. It stays open across
   * reconnects until `closeChat`; resolves with who has it open (none while disconnected:
   * `activeUsers` tells on connect); rejects with `ChatClientError` for a chat not the user's.
   */
  openChat(chatId: string): Promise<string[]> {
    return this.#openChats.open(chatId);
  }

  /** Closes a chat's live view opened with `openChat`. */
  closeChat(chatId: string): Promise<void> {
    return this.#openChats.close(chatId);
  }

  #call<T extends object = Record<never, never>>(event: string, ...payload: unknown[]) {
    return call<T>(this.#socket, this.#ackTimeoutMs, event, ...payload);
  }
}
