/**
 * Blocking: a user stops another from reaching them. While either of two users
 * blocks the other, their direct chat takes no sends, edits, reactions or typing
 * from either side, neither sees the other's presence, neither starts a direct
 * chat with the other or adds them to a group, and a block ends their
 * friendship. What was stored before the block is still delivered and stays in
 * history; groups both are in carry on, and leaving one is up to the user.
 * @module
 */
import { AppEventTypes, type UserView } from "../protocol/mod.ts";
import type { ChatService } from "./chats.ts";
import { ValidationError } from "./errors.ts";
import type { Store } from "./ports.ts";
import type { ChatRecord } from "./types.ts";
import type { UserService } from "./users.ts";

/** A direct chat with `userId` added to or taken from its `blockedBy`. */
export function withBlock(chat: ChatRecord, userId: string, blocked: boolean): ChatRecord {
  const others = (chat.blockedBy ?? []).filter((id) => id !== userId);
  const blockedBy = blocked ? [...others, userId] : others;
  const { blockedBy: _, ...rest } = chat;
  return blockedBy.length > 0 ? { ...rest, blockedBy } : rest;
}

/** Blocks and unblocks users, and lists whom a user blocked. */
export class BlockService {
  #store: Store;
  #users: UserService;
  #chats: ChatService;

  /** Creates the service over the store and the user and chat services. */
  constructor(deps: { store: Store; users: UserService; chats: ChatService }) {
    this.#store = deps.store;
    this.#users = deps.users;
    this.#chats = deps.chats;
  }

  /** The users the caller blocked, as the caller may see them. */
  async list(userId: string): Promise<UserView[]> {
    const { blocked } = await this.#store.users.blocks(userId);
    return this.#users.view(userId, blocked);
  }

  /** Blocks `other` for the caller (idempotent); ends their friendship. */
  block(userId: string, other: string): Promise<void> {
    return this.#set(userId, other, true);
  }

  /** Lifts the caller's block of `other` (idempotent); a block by `other` stays. */
  unblock(userId: string, other: string): Promise<void> {
    return this.#set(userId, other, false);
  }

  async #set(userId: string, other: string, blocked: boolean): Promise<void> {
    if (userId === other) throw new ValidationError("Cannot block yourself");
    // Unblocking a deleted account is moot: deleting it dropped every block.
    await this.#users.requireLive(other);
    const was = (await this.#store.users.blocks(userId)).blocked.includes(other);
    let chat = await this.#store.users.setBlocked(userId, other, blocked);
    // A deletion drops every block of the account, this one too (users.deletedAmong).
    if (blocked && (await this.#users.deletedAmong([userId, other])).length > 0) {
      chat = await this.#store.users.setBlocked(userId, other, false);
    }
    // Blocking again, or unblocking again, changes nothing: nobody is told.
    if (!chat || was === blocked) return;
    // Both sides hear of it: the blocked user's devices stop offering to write, and
    // the blocker's other devices show the chat as blocked.
    await this.#chats.announce(chat, { type: AppEventTypes.chatUpdated, actorId: userId });
  }
}
