/**
 * Changing a group: its participants and its profile (name, description,
 * avatar). Every change reaches the group's members (and a user just removed)
 * as `chat:updated`, and the app's backend as an event (`app_events.ts`).
 * @module
 */
import { AppEventTypes, type ChatView, ServerEvents } from "../protocol/mod.ts";
import type { ChatChange } from "./app_events.ts";
import { type ChatService, emptyMembership } from "./chats.ts";
import { AccessError, blockedError, notContactError, ValidationError } from "./errors.ts";
import type { GroupProfile, Notifier, Store } from "./ports.ts";
import type { ChatRecord } from "./types.ts";
import type { UserService } from "./users.ts";
import { mayRemove, requirePermission } from "./roles.ts";
import { toChatUpdatedEvent } from "./views.ts";

/** Options of the group service. */
export interface GroupServiceOptions {
  /** Most participants a group may have (the store writes one receipt per recipient). */
  maxGroupSize: number;
  /** `contacts`: members add only their friends or chat partners; `open`: anyone. */
  groupAddPolicy: "contacts" | "open";
}

/** Adds and removes a group's participants and renames it. */
export class GroupService {
  #store: Store;
  #users: UserService;
  #chats: ChatService;
  #notifier: Notifier;
  #options: GroupServiceOptions;

  /** Creates the service over the store, the user and chat services and the transport. */
  constructor(
    deps: { store: Store; users: UserService; chats: ChatService; notifier: Notifier },
    options: GroupServiceOptions,
  ) {
    this.#store = deps.store;
    this.#users = deps.users;
    this.#chats = deps.chats;
    this.#notifier = deps.notifier;
    this.#options = options;
  }

  /**
   * Adds a user to a group the caller is in, unless either blocked the other;
   * answers with the caller's view.
   */
  async addParticipant(userId: string, chatId: string, newUserId: string): Promise<ChatView> {
    const { chat } = await this.requireGroup(chatId, userId);
    requirePermission(chat, userId, "add");
    const [, blocked] = await Promise.all([
      this.#users.requireLive(newUserId),
      this.#users.blockedEither(userId),
    ]);
    if (blocked.has(newUserId)) throw blockedError();
    if (
      // A member of this group is a contact already: adding them again passes.
      this.#options.groupAddPolicy === "contacts" &&
      !await this.#users.isContact(userId, newUserId)
    ) {
      throw notContactError("Members add only their friends or chat partners");
    }
    return this.admit(chat, newUserId, userId);
  }

  /**
   * Puts a user in a group, with room for them, and tells its members; answers
   * with the view of `viewerId` (whoever added them, or the user who joined).
   */
  async admit(chat: ChatRecord, newUserId: string, viewerId: string): Promise<ChatView> {
    // The store checks the size as it adds: racing adds (a shared invite link) must not
    // take a group past the limit that bounds a send's fan-out and its commit.
    const max = this.#options.maxGroupSize;
    const result = await this.#store.chats.addMember(chat.id, newUserId, { max });
    // An account deleted meanwhile must not stay in the group.
    if ((await this.#users.deletedAmong([newUserId])).length > 0) {
      return this.#viewOf(viewerId, await this.removeMember(chat.id, newUserId));
    }
    // Adding a member again changes nothing, and nobody is told; of two racing adds, one tells.
    const updated = result?.chat ?? null;
    if (!result?.added) return this.#viewOf(viewerId, updated);
    const type = AppEventTypes.chatMemberAdded;
    const change = { type, actorId: viewerId, userId: newUserId };
    return this.announce(viewerId, updated, { change });
  }

  /**
   * Removes a user from a group, or the caller leaves it; the removed user loses
   * access at once. Only the owner and admins remove others (`mayRemove`): a
   * member added a minute ago must not be able to empty the group of its creator.
   */
  async removeParticipant(userId: string, chatId: string, removedId: string): Promise<ChatView> {
    const { chat } = await this.requireGroup(chatId, userId);
    if (!chat.participantIds.includes(removedId)) {
      throw new AccessError("not_found", "Not a participant");
    }
    if (!mayRemove(chat, userId, removedId)) {
      throw new AccessError("forbidden", "Only the group's owner and admins remove others");
    }
    return this.#viewOf(userId, await this.removeMember(chatId, removedId, userId));
  }

  /**
   * Takes a user out of a chat, with no checks (a participant leaving or removed,
   * or an account being deleted, from its direct chats too): they lose its live
   * room, and they and the members who stay hear `chat:updated`. `actorId` is who
   * removed them (themselves when leaving), absent when their account is deleted.
   */
  async removeMember(chatId: string, userId: string, actorId?: string): Promise<ChatRecord | null> {
    const updated = await this.#store.chats.removeMember(chatId, userId);
    this.#notifier.leaveChat(userId, chatId);
    // The removed user is no longer among the participants: told beside them.
    this.#notifier.emit(
      [userId, ...updated?.participantIds ?? []],
      ServerEvents.chatUpdated,
      toChatUpdatedEvent(chatId, updated),
    );
    const type = AppEventTypes.chatMemberRemoved;
    if (updated) await this.#chats.publish(updated, { type, actorId, userId });
    return updated;
  }

  /**
   * Changes a group's name, description or avatar (null removes the last two).
   * Any participant may, as in most messengers (each is undone as easily as it
   * is set, unlike a removal), unless the group keeps it for its admins.
   */
  async setProfile(userId: string, chatId: string, profile: GroupProfile): Promise<ChatView> {
    const { chat } = await this.requireGroup(chatId, userId, "Only a group can be renamed");
    requirePermission(chat, userId, "edit");
    const updated = await this.#store.chats.setProfile(chatId, profile);
    return this.announce(userId, updated, { before: chat });
  }

  /** The group and the caller's membership; refused unless both are there. */
  async requireGroup(
    chatId: string,
    userId: string,
    refusal = "Only a group's participants can change",
  ) {
    const found = await this.#chats.requireMember(chatId, userId);
    if (found.chat.type !== "group") throw new ValidationError(refusal);
    return found;
  }

  /**
   * Tells every member the group changed (by default `chat.updated`, by the
   * caller), unless it did not since `before` (see `ChatService.announce`).
   * Answers with the caller's view.
   */
  async announce(
    userId: string,
    chat: ChatRecord | null,
    options: { change?: ChatChange; before?: ChatRecord } = {},
  ): Promise<ChatView> {
    const { change = { type: AppEventTypes.chatUpdated, actorId: userId }, before } = options;
    if (chat) await this.#chats.announce(chat, change, { before });
    return await this.#viewOf(userId, chat);
  }

  // The caller's view of a chat just changed; not_found when it is gone.
  async #viewOf(userId: string, chat: ChatRecord | null): Promise<ChatView> {
    if (!chat) throw new AccessError("not_found", "Chat not found");
    const membership = await this.#store.chats.getMembership(chat.id, userId);
    return this.#chats.view(chat, membership ?? emptyMembership(chat.id, userId));
  }
}
