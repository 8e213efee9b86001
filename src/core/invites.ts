/**
 * Group invite links: a member who may add members makes a link (a code of 128
 * random bits), and whoever holds it joins the group by themselves. A group
 * has one link at most: a new one revokes the last. A link speaks for the
 * member who made it, so it works only while they may still add members: it
 * stops when they leave, or when the group keeps adding for admins and they
 * are not one. Joining is the joiner's own choice, so `GROUP_ADD_POLICY`
 * (which keeps strangers from being pulled in) does not apply.
 * @module
 */
import { randomBytes } from "node:crypto";
import type { ChatView, InvitePreview, InviteView } from "../protocol/mod.ts";
import type { ChatService } from "./chats.ts";
import { AccessError, blockedError } from "./errors.ts";
import type { GroupService } from "./groups.ts";
import type { Store } from "./ports.ts";
import { hasPermission, requirePermission } from "./roles.ts";
import type { ChatRecord, InviteRecord } from "./types.ts";
import type { UserService } from "./users.ts";

const notFound = () => new AccessError("not_found", "Invite link not found");

/** Makes, reads and revokes a group's invite link, and joins groups by one. */
export class InviteService {
  #store: Store;
  #users: UserService;
  #chats: ChatService;
  #groups: GroupService;

  /** Creates the service over the store and the user, chat and group services. */
  constructor(
    deps: { store: Store; users: UserService; chats: ChatService; groups: GroupService },
  ) {
    this.#store = deps.store;
    this.#users = deps.users;
    this.#chats = deps.chats;
    this.#groups = deps.groups;
  }

  /** Makes a new link to the group, revoking the one before; by a member who may add. */
  async create(userId: string, chatId: string): Promise<InviteView> {
    await this.#requireAdder(userId, chatId);
    const invite: InviteRecord = {
      chatId,
      code: randomBytes(16).toString("base64url"),
      createdBy: userId,
      createdAt: new Date().toISOString(),
    };
    await this.#store.invites.put(invite);
    return { ...invite };
  }

  /** The group's link while it works; `not_found` when there is none. */
  async get(userId: string, chatId: string): Promise<InviteView> {
    const chat = await this.#requireAdder(userId, chatId);
    const invite = await this.#store.invites.get(chatId);
    if (!invite || !works(invite, chat)) throw notFound();
    return { ...invite };
  }

  /** Revokes the group's link; idempotent. */
  async revoke(userId: string, chatId: string): Promise<void> {
    await this.#requireAdder(userId, chatId);
    await this.#store.invites.remove(chatId);
  }

  /** What the holder of a code sees of the group before joining. */
  async preview(userId: string, code: string): Promise<InvitePreview> {
    const { chat } = await this.#open(code);
    const preview: InvitePreview = {
      chatId: chat.id,
      memberCount: chat.participantIds.length,
      member: chat.participantIds.includes(userId),
    };
    if (chat.name !== undefined) preview.name = chat.name;
    return preview;
  }

  /**
   * Joins the group the code leads to, with its history from now on, as an
   * added member would; a member already gets their view, unchanged. Refused
   * between the joiner and the link's maker when either blocked the other.
   */
  async join(userId: string, code: string): Promise<ChatView> {
    const { invite, chat } = await this.#open(code);
    if (chat.participantIds.includes(userId)) return this.#chats.get(userId, chat.id);
    if ((await this.#users.blockedEither(invite.createdBy)).has(userId)) throw blockedError();
    return this.#groups.admit(chat, userId, userId);
  }

  // The invite and its group, while the link works; the same not_found otherwise,
  // so a revoked code tells nothing more than one that never was.
  async #open(code: string): Promise<{ invite: InviteRecord; chat: ChatRecord }> {
    const invite = await this.#store.invites.find(code);
    const chat = invite && await this.#store.chats.get(invite.chatId);
    if (!invite || !chat || !works(invite, chat)) throw notFound();
    return { invite, chat };
  }

  async #requireAdder(userId: string, chatId: string): Promise<ChatRecord> {
    const { chat } = await this.#groups.requireGroup(
      chatId,
      userId,
      "Only groups have invite links",
    );
    requirePermission(chat, userId, "add");
    return chat;
  }
}

/** Whether a link works: its maker is still in the group and may still add members. */
function works(invite: InviteRecord, chat: ChatRecord): boolean {
  return chat.type === "group" && chat.participantIds.includes(invite.createdBy) &&
    hasPermission(chat, invite.createdBy, "add");
}
