/**
 * Sent messages: edit and delete (sender only) and reactions (any participant),
 * each stored atomically with the chat's next `changeSeq` (_message_changes.ts),
 * then broadcast to the chat and queued as the app's event; the changes a device
 * missed while away; and each recipient's receipt (sender only), as "message info".
 * @module
 */
import {
  AppEventTypes,
  type ChangesPage,
  type MessageDeletedEvent,
  type MessageEditedEvent,
  type MessageReactionEvent,
  type MessageView,
  type ReceiptView,
  ServerEvents,
} from "../protocol/mod.ts";
import type { AppEventService } from "./app_events.ts";
import type { ChatService } from "./chats.ts";
import { AccessError } from "./errors.ts";
import type { Notifier, Store } from "./ports.ts";
import type { FileService } from "./files.ts";
import type { PinService } from "./pins.ts";
import type { ChatRecord, MessageRecord } from "./types.ts";
import { hidesReadOf, toMessageView } from "./views.ts";
import { normalizeContent } from "./_content.ts";
import { deletedBy, edited, reacted, tombstoneOf } from "./_message_changes.ts";
import { historyStart, readChanges } from "./_history.ts";

/** What the message service uses, and the longest content an edit may have. */
export interface MessageDeps {
  store: Store;
  chats: ChatService;
  notifier: Notifier;
  pins: PinService;
  files: FileService;
  events?: AppEventService;
  maxMessageChars: number;
}

/** Edits, deletes and reactions. */
export class MessageService {
  #deps: MessageDeps;

  /** Creates the service. */
  constructor(deps: MessageDeps) {
    this.#deps = deps;
  }

  /** Replaces the content of the caller's own message and tells the chat. */
  async edit(userId: string, messageId: string, content: string): Promise<MessageView> {
    const text = normalizeContent(content, this.#deps.maxMessageChars);
    const editedAt = new Date().toISOString();
    const { message, chat } = await this.#update(
      userId,
      messageId,
      (m) => edited(m, userId, { content: text, editedAt }),
    );
    this.#deps.notifier.emit(
      chat.participantIds,
      ServerEvents.messageEdited,
      {
        messageId,
        chatId: message.chatId,
        content: message.content,
        editedAt,
        changeSeq: message.changeSeq!,
      } satisfies MessageEditedEvent,
    );
    await this.#deps.events?.publishMessage(AppEventTypes.messageEdited, message);
    return toMessageView(message, false, await this.#deps.chats.viewer(userId));
  }

  /**
   * Deletes the caller's own message: the content and files leave the store, a
   * tombstone stays.
   */
  async remove(userId: string, messageId: string): Promise<void> {
    let files: MessageRecord["attachments"];
    const { message, chat } = await this.#update(userId, messageId, (m) => {
      files = m.attachments;
      return deletedBy(m, userId);
    }, { anyMember: true });
    await this.#announceRemoval(message, chat.participantIds);
    await this.#deps.pins.dropDeleted(message);
    await this.#deps.files.discard(files);
  }

  /**
   * The removal of any message on the server's own authority: the operators'
   * (abuse reported to them) and a disappearing message's at its time. The same
   * tombstone and event as the sender's delete. Removing a deleted message does nothing.
   */
  async takeDown(messageId: string): Promise<void> {
    const current = await this.#deps.store.messages.get(messageId);
    if (current?.deleted) return;
    const message = current &&
      await this.#deps.store.messages.updateMessage(messageId, tombstoneOf);
    if (!message) throw new AccessError("not_found", "Message not found");
    const chat = await this.#deps.store.chats.get(message.chatId);
    await this.#announceRemoval(message, chat?.participantIds ?? []);
    await this.#deps.pins.dropDeleted(message, chat); // read after the tombstone: fresh enough
    await this.#deps.files.discard(current.attachments);
  }

  async #announceRemoval(message: MessageRecord, participants: string[]): Promise<void> {
    this.#deps.notifier.emit(
      participants,
      ServerEvents.messageDeleted,
      {
        messageId: message.id,
        chatId: message.chatId,
        changeSeq: message.changeSeq!,
      } satisfies MessageDeletedEvent,
    );
    await this.#deps.events?.publishMessage(AppEventTypes.messageDeleted, message);
  }

  /** Toggles the caller's reaction with `emoji`; returns all reactions of the message. */
  async react(userId: string, messageId: string, emoji: string): Promise<Record<string, string[]>> {
    const { message, chat } = await this.#update(
      userId,
      messageId,
      (m) => reacted(m, userId, emoji),
    );
    const reactions = message.reactions ?? {};
    this.#deps.notifier.emit(
      chat.participantIds,
      ServerEvents.messageReactionUpdated,
      {
        messageId,
        chatId: message.chatId,
        reactions,
        changeSeq: message.changeSeq!,
      } satisfies MessageReactionEvent,
    );
    await this.#deps.events?.publishMessage(AppEventTypes.messageReacted, message);
    return reactions;
  }

  /**
   * The chat's messages edited, deleted or reacted to after `afterChangeSeq`, as
   * they are now: what a device that was away missed of messages it already has.
   */
  async changes(
    userId: string,
    chatId: string,
    options: { afterChangeSeq: number; limit: number },
  ): Promise<ChangesPage> {
    const [{ membership }, viewer] = await Promise.all([
      this.#deps.chats.requireMember(chatId, userId),
      this.#deps.chats.viewer(userId),
    ]);
    return await readChanges(this.#deps.store.messages, chatId, historyStart(membership), {
      ...options,
      viewer,
    });
  }

  /**
   * Where each recipient of the caller's own message stands. Members who left the
   * chat since are left out, as they no longer hold back its status.
   */
  async receipts(userId: string, messageId: string): Promise<ReceiptView[]> {
    const message = await this.#deps.store.messages.get(messageId);
    if (!message) throw new AccessError("not_found", "Message not found");
    const { chat } = await this.#deps.chats.requireMember(message.chatId, userId);
    if (message.senderId !== userId) {
      throw new AccessError("forbidden", "Only the sender may see a message's receipts");
    }
    const members = new Set(chat.participantIds);
    const [statuses, viewer] = await Promise.all([
      this.#deps.store.messages.recipientStatuses(message),
      this.#deps.chats.viewer(userId),
    ]);
    // A sender who sends no read receipts sees none: read shows as delivered.
    const hidden = hidesReadOf(viewer, message);
    return statuses.filter((r) => members.has(r.userId)).map((r) =>
      r.status === "read" && hidden ? { ...r, status: "delivered" as const } : r
    );
  }

  // Edits and reactions need a chat open to writing (`writeRefusal`: nobody blocked,
  // no partner deleted); deleting one's own message only needs membership.
  async #update(
    userId: string,
    messageId: string,
    change: (m: MessageRecord) => MessageRecord,
    options: { anyMember?: boolean } = {},
  ): Promise<{ message: MessageRecord; chat: ChatRecord }> {
    const current = await this.#deps.store.messages.get(messageId);
    if (!current) throw new AccessError("not_found", "Message not found");
    const { chat } = options.anyMember
      ? await this.#deps.chats.requireMember(current.chatId, userId)
      : await this.#deps.chats.requireWritable(current.chatId, userId);
    const message = await this.#deps.store.messages.updateMessage(messageId, change);
    if (!message) throw new AccessError("not_found", "Message not found");
    return { message, chat };
  }
}
