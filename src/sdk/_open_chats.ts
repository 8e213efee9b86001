/**
 * The chats this client has open (`chat:join`), and who else has them open.
 * A socket's open chats end with its connection; the server holds a dropped
 * device's place for the presence grace, so joining them again at once on
 * every reconnect shows the room no departure.
 * @module
 */
import type { Socket } from "socket.io-client";
import { ClientEvents, ServerEvents } from "../protocol/events.ts";
import type { ChatActiveUsersEvent } from "../protocol/payloads.ts";
import { call } from "./_call.ts";
import type { Emitter } from "./_emitter.ts";
import { ChatClientError } from "./errors.ts";
import type { ChatClientEvents } from "./events.ts";

/** Joins and leaves chats' live views for a client, and again after each reconnect. */
export class OpenChats {
  #socket: Socket;
  #events: Emitter<ChatClientEvents>;
  #ackTimeoutMs: number;
  #open = new Set<string>();

  /**
   * Follows `socket`: its `chat:activeUsers` become `activeUsers` events. A join
   * gets one too, as a socket of the room, before its ack.
   */
  constructor(socket: Socket, events: Emitter<ChatClientEvents>, ackTimeoutMs: number) {
    this.#socket = socket;
    this.#events = events;
    this.#ackTimeoutMs = ackTimeoutMs;
    socket.on(ServerEvents.chatActiveUsers, (e) => events.notify("activeUsers", e));
  }

  /** Opens a chat; who has it open, or none while disconnected (told on connect). */
  async open(chatId: string): Promise<string[]> {
    this.#open.add(chatId);
    return this.#socket.connected ? await this.#join(chatId) : [];
  }

  /** Closes a chat: the others see this user leave once no other device has it open. */
  async close(chatId: string): Promise<void> {
    if (!this.#open.delete(chatId) || !this.#socket.connected) return;
    await call(this.#socket, this.#ackTimeoutMs, ClientEvents.chatLeave, { chatId });
  }

  /** After a connect: every chat still open is joined again. */
  rejoin(): void {
    for (const chatId of this.#open) this.#join(chatId).catch(() => {});
  }

  async #join(chatId: string): Promise<string[]> {
    try {
      const { activeUserIds } = await call<Omit<ChatActiveUsersEvent, "chatId">>(
        this.#socket,
        this.#ackTimeoutMs,
        ClientEvents.chatJoin,
        { chatId },
      );
      return activeUserIds;
    } catch (error) {
      // Refused (no longer a member): not open any more. A timeout keeps it for the next connect.
      if (error instanceof ChatClientError) this.#open.delete(chatId);
      throw error;
    }
  }
}
