/**
 * Chats: who may read and write one (participants only), creating them
 * (`_chat_creation.ts`: direct chats are unique per pair and only open between
 * contacts, and nobody starts one with someone blocked either way), the chat
 * list and history. A group's members and name change in groups.ts.
 * @module
 */
import {
  type ChatView,
  type CreateChatInput,
  type HistoryAfterPage,
  type HistoryPage,
  ServerEvents,
} from "../protocol/mod.ts";
import { AccessError, writeRefusal } from "./errors.ts";
import type { Notifier, Store } from "./ports.ts";
import type { ChatRecord, MembershipRecord, StoredMessage } from "./types.ts";
import { unchangedSince } from "./types.ts";
import type { UserService } from "./users.ts";
import { toChatUpdatedEvent, toChatView, unreadCountOf, type Viewer, viewerOf } from "./views.ts";
import { historyStart, type PageOptions, readableBy, readPage } from "./_history.ts";
import { pageOf } from "./_chat_cursor.ts";
import { ChatCreator } from "./_chat_creation.ts";
import { type AppEventService, type ChatChange } from "./app_events.ts";

export { emptyMembership } from "./_chat_creation.ts";
export { readableBy } from "./_history.ts";

/** Options of the chat service. */
export interface ChatServiceOptions {
  /** Most participants a group may have (the store writes one receipt per recipient). */
  maxGroupSize: number;
  /** `contacts`: direct chats only between friends or chat partners; `open`: anyone. */
  directChatPolicy: "contacts" | "open";
  /** `contacts`: a new group takes only its creator's friends or chat partners; `open`: anyone. */
  groupAddPolicy: "contacts" | "open";
}

// A badge shows "99+" past this; counting further would read the whole backlog.
const MAX_UNREAD_MENTIONS = 100;

/** Chat creation, listing and history. */
export class ChatService {
  #store: Store;
  #notifier: Notifier;
  #creator: ChatCreator;
  #events?: AppEventService;

  /** Creates the service over the store, the user service and the app's events, if any. */
  constructor(
    deps: { store: Store; users: UserService; notifier: Notifier; events?: AppEventService },
    options: ChatServiceOptions,
  ) {
    this.#store = deps.store;
    this.#notifier = deps.notifier;
    this.#events = deps.events;
    this.#creator = new ChatCreator({ ...deps, chats: this }, options);
  }

  /** Returns the chat when `userId` takes part in it; `not_found` or `forbidden` otherwise. */
  async requireMember(
    chatId: string,
    userId: string,
  ): Promise<{ chat: ChatRecord; membership: MembershipRecord }> {
    const [chat, membership] = await Promise.all([
      this.#store.chats.get(chatId),
      this.#store.chats.getMembership(chatId, userId),
    ]);
    if (!chat) throw new AccessError("not_found", "Chat not found");
    if (!membership) throw new AccessError("forbidden", "Not a participant of this chat");
    return { chat, membership };
  }

  /**
   * Returns a message `userId` may read, with its chat and the user's membership:
   * `forbidden` in a chat they are not in, `not_found` when missing or from
   * before they joined (`readableBy`).
   */
  async requireMessage(
    messageId: string,
    userId: string,
  ): Promise<{ message: StoredMessage; chat: ChatRecord; membership: MembershipRecord }> {
    const message = await this.#store.messages.get(messageId);
    if (!message) throw new AccessError("not_found", "Message not found");
    const { chat, membership } = await this.requireMember(message.chatId, userId);
    if (!readableBy(membership, message)) throw new AccessError("not_found", "Message not found");
    return { message, chat, membership };
  }

  /**
   * As `requireMember`, and `userId` may write to the chat (see `writeRefusal`):
   * what edits, reactions, typing and the chat's timer need.
   */
  async requireWritable(
    chatId: string,
    userId: string,
  ): Promise<{ chat: ChatRecord; membership: MembershipRecord }> {
    const member = await this.requireMember(chatId, userId);
    const refusal = writeRefusal(member.chat);
    if (refusal) throw refusal;
    return member;
  }

  /** Creates a chat; a direct chat that exists already is returned with `created: false`. */
  create(userId: string, input: CreateChatInput): Promise<{ chat: ChatView; created: boolean }> {
    return this.#creator.create(userId, input);
  }

  /** `chat:updated` to the members and the app's event, unless the version is still `before`'s. */
  async announce(chat: ChatRecord, change: ChatChange, options: { before?: ChatRecord } = {}) {
    if (options.before && unchangedSince(options.before, chat)) return;
    const event = toChatUpdatedEvent(chat.id, chat);
    this.#notifier.emit(chat.participantIds, ServerEvents.chatUpdated, event);
    await this.publish(chat, change);
  }

  /** Tells the app's backend (only) what changed in a chat, when its events are configured. */
  async publish(chat: ChatRecord, change: ChatChange): Promise<void> {
    await this.#events?.publishChat(chat, change);
  }

  /**
   * A page of the user's chats, the pinned ones first (see `sortKey`), then newest
   * activity first; with `archived`, only the
   * chats they archived (true) or only the others (false).
   */
  async list(
    userId: string,
    options: { limit: number; cursor?: string; archived?: boolean },
  ): Promise<{ chats: ChatView[]; nextCursor: string | null }> {
    const { archived } = options;
    const { page, nextCursor } = pageOf(
      (await this.#store.chats.listForUser(userId))
        .filter((entry) =>
          archived === undefined || Boolean(entry.membership.archived) === archived
        ),
      options,
    );
    const viewer = await this.viewer(userId);
    const views = await Promise.all(
      page.map((entry) => this.view(entry.chat, entry.membership, viewer)),
    );
    return { chats: views, nextCursor };
  }

  /** One chat as it shows in the caller's list (an extension: `GET /api/chats/:chatId`). */
  async get(userId: string, chatId: string): Promise<ChatView> {
    const { chat, membership } = await this.requireMember(chatId, userId);
    return this.view(chat, membership);
  }

  /** The user as a viewer of messages (whether they see reads), read now. */
  async viewer(userId: string): Promise<Viewer> {
    return viewerOf((await this.#store.users.get(userId)) ?? { id: userId });
  }

  /**
   * A chat as a member sees it, with its last message when the member may see
   * it, and, in a group, how many of their unread messages address them (up to
   * `MAX_UNREAD_MENTIONS`; read only when something is unread). `viewer` is
   * read when not given.
   */
  async view(chat: ChatRecord, membership: MembershipRecord, viewer?: Viewer): Promise<ChatView> {
    const start = historyStart(membership);
    // In a direct chat everything addresses the member: only groups count it apart.
    const unread = chat.type === "group" && unreadCountOf(chat, membership) > 0;
    const [[lastMessage], unreadMentions, seen] = await Promise.all([
      chat.lastSeq > start ? this.#store.messages.getBySeq(chat.id, [chat.lastSeq]) : [],
      unread
        ? this.#store.messages.countAddressed(membership.userId, chat.id, {
          afterSeq: Math.max(membership.readSeq, start),
          limit: MAX_UNREAD_MENTIONS,
        })
        : 0,
      viewer ?? this.viewer(membership.userId),
    ]);
    return toChatView(chat, membership, { lastMessage, unreadMentions, viewer: seen });
  }

  /**
   * A page of a chat's messages for a participant: newest first below
   * `beforeSeq`, or, given `afterSeq`, oldest first above it.
   */
  async history(
    userId: string,
    chatId: string,
    options: PageOptions,
  ): Promise<HistoryPage | HistoryAfterPage> {
    const [{ membership }, viewer] = await Promise.all([
      this.requireMember(chatId, userId),
      this.viewer(userId),
    ]);
    return await readPage(this.#store.messages, chatId, historyStart(membership), {
      ...options,
      viewer,
    });
  }
}
