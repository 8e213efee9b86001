/**
 * Pinned messages: any member (in a group that keeps edits for its admins,
 * an admin) pins a message of the chat for everyone (at most
 * `MAX_PINS`, the latest first), and every member hears of it in
 * `chat:updated`. A deleted message leaves the pins (`dropDeleted`), so a pin
 * never shows a tombstone.
 * @module
 */
import { ChatFeature } from "./_chat_feature.ts";
import { AppEventTypes, type ChatView, type MessageView } from "../protocol/mod.ts";
import { readableBy } from "./chats.ts";
import { AccessError, ConflictError, writeRefusal } from "./errors.ts";
import type { ChatRecord, MessageRecord } from "./types.ts";
import { requirePermission } from "./roles.ts";
import { toMessageView } from "./views.ts";

// Enough to keep what matters in sight; more and a pin is just another message.
const MAX_PINS = 10;

/** Pins and unpins messages, and lists a chat's pins. */
export class PinService extends ChatFeature {
  /**
   * Pins a message the caller can read, in a chat open to writing; returns the
   * chat as the caller sees it. `conflict` for a deleted message or a full set.
   */
  pin(userId: string, messageId: string): Promise<ChatView> {
    return this.#set(userId, messageId, true);
  }

  /** Unpins a message; returns the chat as the caller sees it. */
  unpin(userId: string, messageId: string): Promise<ChatView> {
    return this.#set(userId, messageId, false);
  }

  /** The pinned messages the caller can read, the latest pin first. */
  async list(userId: string, chatId: string): Promise<MessageView[]> {
    const { chat, membership } = await this.chats.requireMember(chatId, userId);
    const [messages, viewer] = await Promise.all([
      Promise.all((chat.pinned ?? []).map((id) => this.store.messages.get(id))),
      this.chats.viewer(userId),
    ]);
    return messages.flatMap((m) =>
      m && m.chatId === chatId && readableBy(membership, m) && !m.deleted
        ? [toMessageView(m, false, viewer)]
        : []
    );
  }

  /**
   * Unpins a message that was just deleted, telling the chat; nothing when it was not pinned.
   * `chat` is the chat as read after the deletion was stored (read here when not given), and
   * a pin reads the message after it stored the pin: of a delete and a pin that race, one of
   * them sees the other.
   */
  async dropDeleted(message: MessageRecord, chat?: ChatRecord | null): Promise<void> {
    chat = chat === undefined ? await this.store.chats.get(message.chatId) : chat;
    if (!chat?.pinned?.includes(message.id)) return;
    const updated = await this.store.chats.setPinned(chat.id, message.id, {
      pinned: false,
      max: MAX_PINS,
    });
    // Whoever deleted it did not unpin it themselves: the app's event names nobody.
    if (updated) await this.chats.announce(updated, { type: AppEventTypes.chatUpdated });
  }

  async #set(userId: string, messageId: string, pinned: boolean): Promise<ChatView> {
    const { message, chat, membership } = await this.chats.requireMessage(messageId, userId);
    const refusal = writeRefusal(chat);
    if (refusal) throw refusal;
    requirePermission(chat, userId, "edit");
    if (pinned && message.deleted) throw new ConflictError("Message was deleted");
    const updated = await this.store.chats.setPinned(chat.id, messageId, {
      pinned,
      max: MAX_PINS,
    });
    if (!updated) throw new AccessError("not_found", "Chat not found");
    const now = pinned && await this.store.messages.get(messageId);
    if (now && now.deleted) {
      await this.dropDeleted(now);
      throw new ConflictError("Message was deleted");
    }
    // Pinning again changes nothing: nobody is told.
    const change = { type: AppEventTypes.chatUpdated, actorId: userId };
    await this.chats.announce(updated, change, { before: chat });
    return await this.chats.view(updated, membership);
  }
}
