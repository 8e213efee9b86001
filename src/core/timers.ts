/**
 * Disappearing messages. A chat's timer says how long each new message lasts;
 * any member of a direct chat sets it, in a group whoever may `edit` it (as
 * renaming). The store stamps each message's `expiresAt` as it sequences it, so
 * a change applies from the next message on and never to the ones before.
 * Clients drop a message at its `expiresAt`; the server's sweep then deletes it
 * for everyone: the same tombstone, event and file removal as a delete.
 * @module
 */
import { AppEventTypes, type ChatView } from "../protocol/mod.ts";
import type { ChatService } from "./chats.ts";
import { AccessError } from "./errors.ts";
import type { MessageService } from "./messages.ts";
import type { Metrics, Store } from "./ports.ts";
import { requirePermission } from "./roles.ts";

/** Messages an expiry round deletes at most. */
export const EXPIRY_BATCH = 500;

/** Sets chats' timers and deletes the messages whose time is up. */
export class TimerService {
  #store: Store;
  #chats: ChatService;
  #messages: MessageService;
  #metrics: Metrics;

  /** Creates the service. */
  constructor(
    deps: { store: Store; chats: ChatService; messages: MessageService; metrics: Metrics },
  ) {
    this.#store = deps.store;
    this.#chats = deps.chats;
    this.#messages = deps.messages;
    this.#metrics = deps.metrics;
  }

  /**
   * Sets how many seconds the chat's new messages last, or turns the timer off
   * (null); every member hears `chat:updated`. A chat nobody may write to
   * (blocked) keeps its timer.
   */
  async set(userId: string, chatId: string, seconds: number | null): Promise<ChatView> {
    // The membership read with the chat serves the answer's view: no second read.
    const { chat, membership } = await this.#chats.requireWritable(chatId, userId);
    requirePermission(chat, userId, "edit");
    const updated = await this.#store.chats.setTimer(chatId, seconds);
    if (!updated) throw new AccessError("not_found", "Chat not found");
    // The same timer again changes nothing: nobody is told.
    const change = { type: AppEventTypes.chatUpdated, actorId: userId };
    await this.#chats.announce(updated, change, { before: chat });
    return this.#chats.view(updated, membership);
  }

  /**
   * Deletes up to `limit` messages whose time was up at `now`; returns how many
   * (a full `limit`: there may be more).
   */
  async expire(now = new Date(), limit = EXPIRY_BATCH): Promise<number> {
    const due = await this.#store.messages.listExpired(now.toISOString(), limit);
    for (const messageId of due) await this.#messages.takeDown(messageId);
    this.#metrics.count("expired", due.length);
    return due.length;
  }
}
