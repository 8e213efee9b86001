/**
 * Creating a chat: who may be in it (blocks, contacts under the policies, the
 * group size) and what a new chat starts as. A direct chat is unique per pair:
 * asking for one that exists answers it, unchanged.
 * @module
 */
import { AppEventTypes, type ChatView, type CreateChatInput } from "../protocol/mod.ts";
import type { ChatService, ChatServiceOptions } from "./chats.ts";
import { blockedError, groupFullError, notContactError, ValidationError } from "./errors.ts";
import type { Store } from "./ports.ts";
import type { ChatRecord, MembershipRecord } from "./types.ts";
import type { UserService } from "./users.ts";
import { toChatView } from "./views.ts";

/** Creates chats for the chat service. */
export class ChatCreator {
  #store: Store;
  #users: UserService;
  #chats: ChatService;
  #options: ChatServiceOptions;

  /** Creates the creator over the store, the user service and the chat service, which tells. */
  constructor(
    deps: { store: Store; users: UserService; chats: ChatService },
    options: ChatServiceOptions,
  ) {
    this.#store = deps.store;
    this.#users = deps.users;
    this.#chats = deps.chats;
    this.#options = options;
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
      throw groupFullError(this.#options.maxGroupSize);
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
      await this.#chats.announce(chat, { type: AppEventTypes.chatCreated, actorId: userId });
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
    // Only the app hears of it now: the devices learn of a direct chat at its first message.
    if (created) {
      await this.#chats.publish(chat, { type: AppEventTypes.chatCreated, actorId: userId });
    }
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
}

/** A membership with nothing read: for a view when the member's own is gone. */
export function emptyMembership(chatId: string, userId: string): MembershipRecord {
  return { chatId, userId, readSeq: 0, ownAfterRead: 0 };
}
