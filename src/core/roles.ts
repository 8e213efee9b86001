/**
 * A group's roles and permissions. Its owner names and unnames admins and may
 * hand the group to another member; owner and admins remove members. Adding,
 * renaming and pinning are every member's, as in most messengers (those are
 * undone as easily as done, a removal is not), unless the owner or an admin
 * keeps them for the admins (`permissions`); leaving is always everyone's.
 * @module
 */
import type { ChatView } from "../protocol/mod.ts";
import type { ChatService } from "./chats.ts";
import { AccessError, adminsOnlyError, ValidationError } from "./errors.ts";
import type { GroupService } from "./groups.ts";
import type { Store } from "./ports.ts";
import type { ChatRecord, GroupPermissions } from "./types.ts";

type Permission = keyof GroupPermissions;

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

/** A group's permissions, each `members` unless set to `admins`. */
export function permissionsOf(chat: ChatRecord): GroupPermissions {
  return { add: chat.permissions?.add ?? "members", edit: chat.permissions?.edit ?? "members" };
}

/** Whether a participant is the group's owner or one of its admins. */
export function isAdmin(chat: ChatRecord, userId: string): boolean {
  return ownerOf(chat) === userId || adminsOf(chat).includes(userId);
}

/** Whether a participant may `add` members or `edit` the group (see `requirePermission`). */
export function hasPermission(chat: ChatRecord, userId: string, action: "add" | "edit"): boolean {
  if (chat.type !== "group" || permissionsOf(chat)[action] === "members") return true;
  return isAdmin(chat, userId);
}

/**
 * Refuses a member's `add` (adding members) or `edit` (renaming, pinning, the timer) that
 * the group keeps for its owner and admins. Direct chats have no permissions.
 */
export function requirePermission(chat: ChatRecord, userId: string, action: "add" | "edit"): void {
  if (hasPermission(chat, userId, action)) return;
  throw adminsOnlyError(
    action === "add"
      ? "Only the group's admins add members"
      : "Only the group's admins rename it, pin and set its timer",
  );
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
    return await this.#groups.announce(userId, updated, { before: chat });
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
    return await this.#groups.announce(userId, updated, { before: chat });
  }

  /**
   * Sets who may add members and who may rename and pin (see `permissionsOf`);
   * the owner and admins may, each named permission as given, the others as they are.
   */
  async setPermissions(
    userId: string,
    chatId: string,
    change: Partial<GroupPermissions>,
  ): Promise<ChatView> {
    const { chat, membership } = await this.#requireMember(userId, chatId, userId);
    if (!isAdmin(chat, userId)) {
      throw new AccessError("forbidden", "Only the group's owner and admins set permissions");
    }
    // What differs from the permissions now: one set to its default while unset (`members`) is
    // no change, so it counts no version and tells nobody.
    const now = permissionsOf(chat);
    const differs = Object.entries(change).filter(([key, to]) => now[key as Permission] !== to);
    if (differs.length === 0) return await this.#chats.view(chat, membership);
    const updated = await this.#store.chats.setPermissions(chatId, Object.fromEntries(differs));
    return await this.#groups.announce(userId, updated, { before: chat });
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
