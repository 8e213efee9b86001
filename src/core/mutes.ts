/**
 * Muting a chat: a member silences its push notifications, for a while or
 * until they unmute. Only push is silenced: the messages arrive, count as
 * unread and get their ticks as ever, so a muted chat loses nothing. A mute is
 * the member's own: nobody else is told, and it goes with the membership.
 * @module
 */
import type { ChatView } from "../protocol/mod.ts";
import type { ChatService } from "./chats.ts";
import { AccessError, ValidationError } from "./errors.ts";
import type { Store } from "./ports.ts";
import type { Mute } from "./types.ts";
import { isMuted } from "./views.ts";

/** Sets and lifts mutes, and tells push who muted a chat. */
export class MuteService {
  #store: Store;
  #chats: ChatService;

  /** Creates the service over the store and the chat service. */
  constructor(deps: { store: Store; chats: ChatService }) {
    this.#store = deps.store;
    this.#chats = deps.chats;
  }

  /**
   * Mutes the chat for the caller until `until` (ISO 8601, in the future), or
   * until unmuted; returns the chat as the caller sees it. Muting again replaces the end.
   */
  async mute(userId: string, chatId: string, until?: string): Promise<ChatView> {
    if (until !== undefined && !(Date.parse(until) > Date.now())) {
      throw new ValidationError("A mute must end in the future", {
        details: [{ path: "until", message: "must be in the future" }],
      });
    }
    const mute: Mute = until === undefined ? {} : { until: new Date(until).toISOString() };
    return await this.#set(userId, chatId, mute);
  }

  /** Lifts the caller's mute of the chat, if any; returns the chat as the caller sees it. */
  unmute(userId: string, chatId: string): Promise<ChatView> {
    return this.#set(userId, chatId, undefined);
  }

  /** Which of `userIds` mute the chat now: push skips them. */
  async mutedAmong(chatId: string, userIds: readonly string[]): Promise<Set<string>> {
    const memberships = await Promise.all(
      userIds.map((id) => this.#store.chats.getMembership(chatId, id)),
    );
    const now = Date.now();
    return new Set(
      memberships.flatMap((m) => (m && isMuted(m.muted, now) ? [m.userId] : [])),
    );
  }

  async #set(userId: string, chatId: string, mute: Mute | undefined): Promise<ChatView> {
    const { chat } = await this.#chats.requireMember(chatId, userId);
    const membership = await this.#store.chats.setMuted(chatId, userId, mute);
    if (!membership) throw new AccessError("forbidden", "Not a participant of this chat");
    return await this.#chats.view(chat, membership);
  }
}
