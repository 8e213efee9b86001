/**
 * A group's roles. Its owner names and unnames admins and may hand the group
 * to another member; owner and admins remove members. Everything else (adding,
 * renaming, pinning, leaving) is every member's, as in most messengers: those
 * are undone as easily as done, a removal is not, so it takes a role.
 * @module
 */
import type { ChatView } from "../protocol/mod.ts";
import type { ChatService } from "./chats.ts";
import { AccessError, ValidationError } from "./errors.ts";
import type { GroupService } from "./groups.ts";
import type { Store } from "./ports.ts";
import type { ChatRecord } from "./types.ts";

/**
 * A group's owner: the member named in `ownerId` (at a handover, or when the
 * owner left, their first admin), else the longest-standing participant. Stores
 * keep participants in the order they joined, the creator first, so a group
 * nobody handed over is its creator's while they stay.
 */
export function ownerOf(chat: ChatRecord): string {
  const named = chat.ownerId;
  return named && chat.participantIds.includes(named) ? named : chat.participantIds[0];
}

/** A group's admins other than its owner, in the order they were made admins. */
export function adminsOf(chat: ChatRecord): string[] {
  const owner = ownerOf(chat);
  return (chat.admins ?? []).filter((id) => id !== owner && chat.participantIds.includes(id));
}

/**
 * Whether `userId` may take `removedId` out of the group: anyone themselves,
 * the owner anyone, an admin those with no role (admins do not remove each other).
 */
export function mayRemove(chat: ChatRecord, userId: string, removedId: string): boolean {
  if (removedId === userId) return true;
  const owner = ownerOf(chat);
  if (userId === owner) return true;
  const admins = adminsOf(chat);
  return admins.includes(userId) && removedId !== owner && !admins.includes(removedId);
}

/** Names admins and hands groups over; every change reaches the members as `chat:updated`. */
export class RoleService {
  #store: Store;
  #chats: ChatService;
  #groups: GroupService;

  /** Creates the service over the store and the chat and group services. */
  constructor(deps: { store: Store; chats: ChatService; groups: GroupService }) {
    this.#store = deps.store;
    this.#chats = deps.chats;
    this.#groups = deps.groups;
  }

  /**
   * Makes a member an admin (`admin` true) or no longer one. Only the owner
   * names admins; an admin may also step down. Idempotent.
   */
  async setAdmin(
    userId: string,
    chatId: string,
    options: { memberId: string; admin: boolean },
  ): Promise<ChatView> {
    const { chat } = await this.#requireMember(userId, chatId, options.memberId);
    const owner = ownerOf(chat);
    if (options.memberId === owner) {
      throw new ValidationError("The owner has every right of an admin already");
    }
    const steppingDown = !options.admin && options.memberId === userId;
    if (userId !== owner && !steppingDown) {
      throw new AccessError("forbidden", "Only the group's owner names admins");
    }
    const updated = await this.#store.chats.setAdmin(chatId, options.memberId, options.admin);
    return await this.#groups.announce(userId, updated);
  }

  /**
   * Hands the group to another member, and makes the owner until now an admin
   * (who may step down). Only the owner may; handing it to themselves changes nothing.
   */
  async setOwner(userId: string, chatId: string, newOwnerId: string): Promise<ChatView> {
    const { chat, membership } = await this.#requireMember(userId, chatId, newOwnerId);
    if (ownerOf(chat) !== userId) {
      throw new AccessError("forbidden", "Only the group's owner can hand it over");
    }
    if (newOwnerId === userId) return await this.#chats.view(chat, membership);
    const updated = await this.#store.chats.setOwner(chatId, { from: userId, to: newOwnerId });
    return await this.#groups.announce(userId, updated);
  }

  // The group, with the caller and the member a change is about both in it.
  async #requireMember(userId: string, chatId: string, memberId: string) {
    const found = await this.#groups.requireGroup(chatId, userId, "Only a group has roles");
    if (!found.chat.participantIds.includes(memberId)) {
      throw new AccessError("not_found", "Not a participant");
    }
    return found;
  }
}
