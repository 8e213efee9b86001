/**
 * A member's own settings of a chat. Muting silences its push notifications,
 * for a while or until unmuted; archiving keeps it out of the main chat list;
 * pinning keeps it at the top of the list; marking it unread keeps it to come
 * back to, until it is read; clearing empties their history of it up to a
 * message. All but clearing lose nothing: the messages arrive, count as unread and get their
 * ticks as ever. Both are the member's own: only their devices are told
 * (`chat:preferences`), and both go with the membership.
 * @module
 */
import { ChatFeature, type ChatFeatureDeps } from "./_chat_feature.ts";
import { type ChatPreferencesEvent, type ChatView, ServerEvents } from "../protocol/mod.ts";
import { AccessError, ConflictError, ValidationError } from "./errors.ts";
import type { Store } from "./ports.ts";
import type { MembershipRecord, Mute } from "./types.ts";
import { isMuted } from "./views.ts";

// Enough to keep a few chats at hand; more and the pinned ones are a list of their own.
const MAX_PINNED_CHATS = 5;

/** The dependencies of the preference service. */
export interface PreferenceDeps extends ChatFeatureDeps {
  /** Marks a chat read up to a seq for a user (the delivery service's, built later). */
  markRead: (userId: string, read: { chatId: string; upToSeq: number }) => Promise<void>;
}

/** Sets and lifts mutes, archives and pins of chats, and tells push who muted a chat. */
export class PreferenceService extends ChatFeature {
  #markRead: PreferenceDeps["markRead"];

  /** Creates the service over the store, the chat service, the transport and reading. */
  constructor(deps: PreferenceDeps) {
    super(deps);
    this.#markRead = deps.markRead;
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
    return await this.#set(userId, chatId, (store) => store.setMuted(chatId, userId, mute));
  }

  /** Lifts the caller's mute of the chat, if any; returns the chat as the caller sees it. */
  unmute(userId: string, chatId: string): Promise<ChatView> {
    return this.#set(userId, chatId, (store) => store.setMuted(chatId, userId, undefined));
  }

  /**
   * Pins the chat to the top of the caller's list (`pinned` true; at most
   * `MAX_PINNED_CHATS`, `conflict` beyond) or unpins it; idempotent; returns the
   * chat as the caller sees it. Pinning again keeps the first pin's place.
   */
  pin(userId: string, chatId: string, pinned: boolean): Promise<ChatView> {
    return this.#set(userId, chatId, async (store, membership) => {
      if (pinned && !membership.pinnedAt) await this.#requireRoomForPin(userId);
      const at = pinned ? membership.pinnedAt ?? new Date().toISOString() : undefined;
      return await store.setPinnedAt(chatId, userId, at);
    });
  }

  /**
   * Archives the chat for the caller (`archived` true) or brings it back;
   * idempotent; returns the chat as the caller sees it.
   */
  archive(userId: string, chatId: string, archived: boolean): Promise<ChatView> {
    return this.#set(userId, chatId, (store) => store.setArchived(chatId, userId, archived));
  }

  /**
   * Marks the chat unread for the caller (`marked` true), to come back to it,
   * or clears the mark; idempotent; returns the chat as the caller sees it.
   * Reading the chat (`markRead`) clears it too, on every device.
   */
  markUnread(userId: string, chatId: string, marked: boolean): Promise<ChatView> {
    return this.#set(userId, chatId, (store) => store.setMarkedUnread(chatId, userId, marked));
  }

  /**
   * Clears the chat's history for the caller alone, up to `upToSeq` (the last
   * message their device shows; at most the chat's last seq, so a message that
   * came meanwhile stays): on every device, their history, search and the chat's
   * last message start after it. A later clear never brings messages back. What
   * they clear they have seen, so it is read first: ticks to its senders, and
   * nothing of it left to deliver.
   */
  async clearHistory(userId: string, chatId: string, upToSeq: number): Promise<ChatView> {
    const { chat } = await this.chats.requireMember(chatId, userId);
    const seq = Math.min(upToSeq, chat.lastSeq);
    await this.#markRead(userId, { chatId, upToSeq: seq });
    return await this.#set(userId, chatId, (store) => store.setClearedSeq(chatId, userId, seq));
  }

  /** Which of `userIds` mute the chat now: push skips them. */
  async mutedAmong(chatId: string, userIds: readonly string[]): Promise<Set<string>> {
    const memberships = await Promise.all(
      userIds.map((id) => this.store.chats.getMembership(chatId, id)),
    );
    const now = Date.now();
    return new Set(
      memberships.flatMap((m) => (m && isMuted(m.muted, now) ? [m.userId] : [])),
    );
  }

  // A count, then a write: two pins at the same moment may both pass, by one chat.
  async #requireRoomForPin(userId: string): Promise<void> {
    const chats = await this.store.chats.listForUser(userId);
    if (chats.filter((c) => c.membership.pinnedAt).length >= MAX_PINNED_CHATS) {
      throw new ConflictError(`At most ${MAX_PINNED_CHATS} chats are pinned: unpin one first`);
    }
  }

  async #set(
    userId: string,
    chatId: string,
    change: (
      store: Store["preferences"],
      membership: MembershipRecord,
    ) => Promise<MembershipRecord | null>,
  ): Promise<ChatView> {
    const found = await this.chats.requireMember(chatId, userId);
    const membership = await change(this.store.preferences, found.membership);
    if (!membership) throw new AccessError("forbidden", "Not a participant of this chat");
    const view = await this.chats.view(found.chat, membership);
    // Every device of the user, the asking one too: a REST call names no socket,
    // and showing the same settings twice is harmless.
    const event: ChatPreferencesEvent = {
      chatId,
      ...(view.muted ? { muted: view.muted } : {}),
      ...(view.archived ? { archived: true } : {}),
      ...(view.pinned ? { pinned: true } : {}),
      ...(view.clearedSeq ? { clearedSeq: view.clearedSeq } : {}),
      ...(view.markedUnread ? { markedUnread: true } : {}),
    };
    this.notifier.emit([userId], ServerEvents.chatPreferences, event);
    return view;
  }
}
