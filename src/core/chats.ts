/**
 * Creating chats, the chat list and history. Only participants may read or write
 * a chat; direct chats are unique per pair and only open between contacts, and
 * nobody starts a chat with someone blocked either way (blocks.ts). A
 * group's members and name change in groups.ts.
 * @module
 */
import {
  type ChatView,
  type CreateChatInput,
  type HistoryAfterPage,
  type HistoryPage,
  ServerEvents,
} from "../protocol/mod.ts";
import {
  AccessError,
  blockedError,
  notContactError,
  ValidationError,
  writeRefusal,
} from "./errors.ts";
import type { Notifier, Store } from "./ports.ts";
import type { ChatRecord, MembershipRecord, StoredMessage } from "./types.ts";
import type { UserService } from "./users.ts";
import { toChatUpdatedEvent, toChatView } from "./views.ts";
import { historyStart, type PageOptions, readPage } from "./_history.ts";
import { decodeCursor, encodeCursor, sortKey } from "./_chat_cursor.ts";

/** Options of the chat service. */
export interface ChatServiceOptions {
  /** Most participants a group may have (the store writes one receipt per recipient). */
  maxGroupSize: number;
  /** `contacts`: direct chats only between friends or chat partners; `open`: anyone. */
  directChatPolicy: "contacts" | "open";
  /** `contacts`: a new group takes only its creator's friends or chat partners; `open`: anyone. */
  groupAddPolicy: "contacts" | "open";
}

/** Chat creation, listing and history. */
export class ChatService {
  #store: Store;
  #users: UserService;
  #notifier: Notifier;
  #options: ChatServiceOptions;

  /** Creates the service over the store and the user service. */
  constructor(
    deps: { store: Store; users: UserService; notifier: Notifier },
    options: ChatServiceOptions,
  ) {
    this.#store = deps.store;
    this.#users = deps.users;
    this.#notifier = deps.notifier;
    this.#options = options;
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
   * Returns the chat when `userId` takes part in it and may write to it (see
   * `writeRefusal`): what edits, reactions and typing need.
   */
  async requireWritable(chatId: string, userId: string): Promise<ChatRecord> {
    const { chat } = await this.requireMember(chatId, userId);
    const refusal = writeRefusal(chat);
    if (refusal) throw refusal;
    return chat;
  }

  /** Creates a chat; a direct chat that exists already is returned with `created: false`. */
  async create(
    userId: string,
    input: CreateChatInput,
  ): Promise<{ chat: ChatView; created: boolean }> {
    const others = [...new Set(input.participantIds)].filter((id) => id !== userId);
    if (input.type === "direct" && others.length !== 1) {
      throw new ValidationError("A direct chat has exactly one other participant");
    }
    if (input.type === "group" && others.length < 1) {
      throw new ValidationError("A group needs at least one other participant");
    }
    if (others.length + 1 > this.#options.maxGroupSize) {
      throw new ValidationError(`A group has at most ${this.#options.maxGroupSize} participants`);
    }
    const [, blocked] = await Promise.all([
      this.#users.requireLive(...others),
      this.#users.blockedEither(userId),
    ]);
    if (others.some((id) => blocked.has(id))) throw blockedError();
    const now = new Date().toISOString();
    const record: ChatRecord = {
      id: crypto.randomUUID(),
      type: input.type,
      participantIds: [userId, ...others],
      createdAt: now,
      createdBy: userId,
      lastSeq: 0,
      lastActivityAt: now,
    };
    if (input.type === "group") {
      if (this.#options.groupAddPolicy === "contacts") {
        const contacts = await this.#users.contacts(userId);
        if (others.some((id) => !contacts.has(id))) {
          throw notContactError("Groups take only your friends or chat partners");
        }
      }
      record.name = input.name ?? "Group";
      const chat = await this.#withoutDeleted(await this.#store.chats.createGroup(record));
      // The members' devices learn of the group now, not at its first message.
      this.announce(chat);
      return { chat: toChatView(chat, emptyMembership(chat.id, userId)), created: true };
    }
    if (
      this.#options.directChatPolicy === "contacts" &&
      !await this.#users.isContact(userId, others[0])
    ) {
      throw notContactError("Direct chats are open only between friends or chat partners");
    }
    const direct = await this.#store.chats.createDirect(record);
    // A chat that existed before is in the lists any deletion racing this one drops.
    const { created } = direct;
    const chat = created ? await this.#withoutDeleted(direct.chat) : direct.chat;
    const membership = await this.#store.chats.getMembership(chat.id, userId);
    return { chat: toChatView(chat, membership ?? emptyMembership(chat.id, userId)), created };
  }

  // A participant deleted while the chat was created leaves it as the deletion
  // would have, had it come a moment later (users.deletedAmong).
  async #withoutDeleted(chat: ChatRecord): Promise<ChatRecord> {
    for (const id of await this.#users.deletedAmong(chat.participantIds)) {
      chat = await this.#store.chats.removeMember(chat.id, id) ?? chat;
    }
    return chat;
  }

  /** Tells every participant of a chat what it is now (`chat:updated`). */
  announce(chat: ChatRecord): void {
    this.#notifier.emit(
      chat.participantIds,
      ServerEvents.chatUpdated,
      toChatUpdatedEvent(chat.id, chat),
    );
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
    const after = options.cursor ? decodeCursor(options.cursor) : undefined;
    const { archived } = options;
    const all = (await this.#store.chats.listForUser(userId))
      .filter((entry) => archived === undefined || Boolean(entry.membership.archived) === archived)
      .map((entry) => ({ ...entry, key: sortKey(entry.chat, entry.membership) }))
      .filter((entry) => after === undefined || entry.key < after)
      .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
    const page = all.slice(0, options.limit);
    const views = await Promise.all(page.map((entry) => this.view(entry.chat, entry.membership)));
    const more = all.length > page.length;
    return { chats: views, nextCursor: more ? encodeCursor(page[page.length - 1].key) : null };
  }

  /** One chat as it shows in the caller's list (an extension: `GET /api/chats/:chatId`). */
  async get(userId: string, chatId: string): Promise<ChatView> {
    const { chat, membership } = await this.requireMember(chatId, userId);
    return this.view(chat, membership);
  }

  /** A chat as a member sees it, with its last message when the member may see it. */
  async view(chat: ChatRecord, membership: MembershipRecord): Promise<ChatView> {
    const [last] = chat.lastSeq > historyStart(membership)
      ? await this.#store.messages.getBySeq(chat.id, [chat.lastSeq])
      : [];
    return toChatView(chat, membership, last);
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
    const { membership } = await this.requireMember(chatId, userId);
    return await readPage(this.#store.messages, chatId, historyStart(membership), options);
  }
}

/**
 * Whether a member may read a message of their chat: a member added to a group
 * sees what came after they joined, not before.
 */
export function readableBy(membership: MembershipRecord, message: { seq: number }): boolean {
  return message.seq > (membership.joinedSeq ?? 0);
}

/** A membership with nothing read: for a view when the member's own is gone. */
export function emptyMembership(chatId: string, userId: string): MembershipRecord {
  return { chatId, userId, readSeq: 0, ownAfterRead: 0 };
}
