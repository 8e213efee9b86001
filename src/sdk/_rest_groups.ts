/**
 * `RestClient`'s calls that change a group: create it, its name, description and
 * avatar, its members,
 * their roles, its permissions and its invite link. Each resolves with the group as it is now, and every
 * member's `ChatClient` emits `participants`.
 * @module
 */
import type { InvitePreview, InviteView } from "../protocol/invites.ts";
import type { ChatView } from "../protocol/objects.ts";
import type { GroupPermissions } from "../protocol/schemas.ts";
import { chatPath } from "./_request.ts";
import { PeopleRest } from "./_rest_people.ts";

/** A group, its members and their roles (part of `RestClient`). */
export class GroupRest extends PeopleRest {
  /** Creates a group chat of the caller and these users. */
  createGroup(name: string, participantIds: string[]): Promise<ChatView> {
    const body = { type: "group", name, participantIds };
    return this.callChat("POST", "/api/chats", body);
  }

  /** Renames a group the caller is in (any participant may, unless kept for its admins). */
  renameChat(chatId: string, name: string): Promise<ChatView> {
    return this.updateGroup(chatId, { name });
  }

  /**
   * Changes what is given of a group's name, description and avatar (an
   * http(s) URL); null removes the description or the avatar.
   */
  updateGroup(
    chatId: string,
    profile: { name?: string; description?: string | null; avatar?: string | null },
  ): Promise<ChatView> {
    return this.callChat("PUT", chatPath(chatId), profile);
  }

  /** Adds a user to a group the caller is in; they see its history from when they joined. */
  addParticipant(chatId: string, userId: string): Promise<ChatView> {
    const path = chatPath(chatId, "participants");
    return this.callChat("POST", path, { userId });
  }

  /**
   * Removes a participant from a group: its owner (`ownerId`) anyone, an admin
   * (`adminIds`) members with no role, and anyone themselves (see `leaveChat`).
   */
  removeParticipant(chatId: string, userId: string): Promise<ChatView> {
    const path = chatPath(chatId, `participants/${encodeURIComponent(userId)}`);
    return this.callChat("DELETE", path);
  }

  /** Leaves a group: the caller gets nothing more of it and can no longer read it. */
  async leaveChat(chatId: string): Promise<void> {
    // The route names the user by id, and the token alone does not carry it here.
    await this.removeParticipant(chatId, (await this.me()).id);
  }

  /**
   * Makes a member an admin (`admin` true), or no longer one: admins remove
   * members with no role. Only the owner names admins; an admin may step down.
   */
  setAdmin(chatId: string, userId: string, admin: boolean): Promise<ChatView> {
    const path = chatPath(chatId, `admins/${encodeURIComponent(userId)}`);
    return this.callChat(admin ? "PUT" : "DELETE", path);
  }

  /** Hands a group the caller owns to another member; the caller stays an admin. */
  handOver(chatId: string, userId: string): Promise<ChatView> {
    return this.callChat("PUT", chatPath(chatId, "owner"), { userId });
  }

  /**
   * Keeps adding members (`add`) or renaming and pinning (`edit`) for the
   * owner and admins (`"admins"`), or gives them back to every member
   * (`"members"`); the owner and admins may.
   */
  setPermissions(chatId: string, change: Partial<GroupPermissions>): Promise<ChatView> {
    return this.callChat("PUT", chatPath(chatId, "permissions"), change);
  }

  /**
   * Makes a new invite link to a group, revoking the one before; by members who
   * may add members. Share its `code`: whoever has it may `joinByInvite`.
   */
  async createInvite(chatId: string): Promise<InviteView> {
    return (await this.call<{ invite: InviteView }>("POST", chatPath(chatId, "invite"))).invite;
  }

  /** The group's invite link; rejects with `not_found` when it has none that works. */
  async invite(chatId: string): Promise<InviteView> {
    return (await this.call<{ invite: InviteView }>("GET", chatPath(chatId, "invite"))).invite;
  }

  /** Revokes the group's invite link (idempotent): its code finds nothing from now on. */
  async revokeInvite(chatId: string): Promise<void> {
    await this.call("DELETE", chatPath(chatId, "invite"));
  }

  /** The group an invite code leads to, as it shows before joining. */
  async previewInvite(code: string): Promise<InvitePreview> {
    const path = `/api/invites/${encodeURIComponent(code)}`;
    return (await this.call<{ invite: InvitePreview }>("GET", path)).invite;
  }

  /** Joins the group an invite code leads to; its history starts now, as for an added member. */
  joinByInvite(code: string): Promise<ChatView> {
    return this.callChat("POST", `/api/invites/${encodeURIComponent(code)}/join`);
  }
}
