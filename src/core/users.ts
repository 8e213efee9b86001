/**
 * Friends, contacts, user views and a user's own settings (profile, read
 * receipts). A contact is a friend or a chat partner, not blocked either way:
 * the only people who see a user's presence and may start a direct chat with
 * them.
 * @module
 */
import type { ProfileInput, UserView } from "../protocol/mod.ts";
import { AccessError, AuthError, blockedError, ValidationError } from "./errors.ts";
import type { Presence, Store } from "./ports.ts";
import type { UserRecord } from "./types.ts";
import { toUserView } from "./views.ts";

/** Reads users as a viewer may see them and manages friendships. */
export class UserService {
  #store: Store;
  #presence: Presence;

  /** Creates the service over the store and presence. */
  constructor(store: Store, presence: Presence) {
    this.#store = store;
    this.#presence = presence;
  }

  /** Friends and chat partners of a user, without the user and anyone blocked either way. */
  async contacts(userId: string): Promise<Set<string>> {
    const [friends, chats, blocked] = await Promise.all([
      this.#store.users.listFriends(userId),
      this.#store.chats.listForUser(userId),
      this.blockedEither(userId),
    ]);
    const ids = new Set(friends);
    for (const { chat } of chats) for (const id of chat.participantIds) ids.add(id);
    ids.delete(userId);
    for (const id of blocked) ids.delete(id);
    return ids;
  }

  /** The users `userId` blocked and those who blocked `userId`. */
  async blockedEither(userId: string): Promise<Set<string>> {
    const { blocked, blockedBy } = await this.#store.users.blocks(userId);
    return new Set([...blocked, ...blockedBy]);
  }

  /**
   * Checks that each of `ids` has an account, to befriend, block, report or add
   * to a chat; throws `not_found` when one is missing or deleted.
   */
  async requireLive(...ids: string[]): Promise<void> {
    const unique = [...new Set(ids)];
    const users = await this.#store.users.getMany(unique);
    if (users.length !== unique.length || users.some((user) => user.deletedAt)) {
      throw new AccessError("not_found", "User not found");
    }
  }

  /**
   * Which of `ids` are deleted accounts, read after a write that links users (a
   * friendship, a membership, a block) to undo the link for them. A deletion
   * marks the account before it lists the links to drop, so a link written
   * before that list is dropped by the deletion, and one written after it finds
   * the mark here: either way the link ends as if the deletion came after it.
   */
  async deletedAmong(ids: readonly string[]): Promise<string[]> {
    const users = await this.#store.users.getMany(ids);
    return users.filter((user) => user.deletedAt).map((user) => user.id);
  }

  /** Whether `other` is a friend or chat partner of `userId`. */
  async isContact(userId: string, other: string): Promise<boolean> {
    return userId === other || (await this.contacts(userId)).has(other);
  }

  /** Users as `viewerId` may see them, in the order of `ids`; missing ids are left out. */
  async view(viewerId: string, ids: readonly string[]): Promise<UserView[]> {
    const [users, contacts, online] = await Promise.all([
      this.#store.users.getMany(ids),
      this.contacts(viewerId),
      // Without presence (Redis down) users show offline rather than the call failing.
      this.#presence.online(ids).catch(() => new Set<string>()),
    ]);
    return users.map((user) =>
      toUserView(user, {
        self: user.id === viewerId,
        showPresence: user.id === viewerId || contacts.has(user.id),
        online: online.has(user.id),
      })
    );
  }

  /** One user as the viewer may see them; throws `not_found`. */
  async viewOne(viewerId: string, id: string): Promise<UserView> {
    const [view] = await this.view(viewerId, [id]);
    if (!view) throw new AccessError("not_found", "User not found");
    return view;
  }

  /**
   * Finds a user by exact username (case-insensitive), to add as a friend. Not by
   * email: that would tell anyone which addresses have an account.
   */
  async findByUsername(viewerId: string, username: string): Promise<UserView> {
    const user = username.includes("@") ? null : await this.#store.users.findByLogin(username);
    if (!user || user.deletedAt) throw new AccessError("not_found", "User not found");
    return this.viewOne(viewerId, user.id);
  }

  /** The viewer's friends. */
  async friends(userId: string): Promise<UserView[]> {
    return this.view(userId, await this.#store.users.listFriends(userId));
  }

  /**
   * Turns the user's read receipts off (`false`) or on again. Off, what they read
   * moves their own read position only, and they see no reads of their own
   * messages (`Viewer`); turned on, their next read tells senders of the reads
   * held back too, up to where it reads.
   */
  async setReadReceipts(userId: string, on: boolean): Promise<void> {
    await this.#store.users.update(userId, { readReceipts: on ? undefined : false });
  }

  /** Changes the caller's display name or avatar (null removes the avatar). */
  async updateProfile(userId: string, input: ProfileInput): Promise<UserRecord> {
    const patch: Partial<Pick<UserRecord, "displayName" | "avatar">> = {};
    if (input.displayName !== undefined) patch.displayName = input.displayName;
    if (input.avatar !== undefined) patch.avatar = input.avatar ?? undefined;
    const user = await this.#store.users.update(userId, patch);
    if (!user) throw new AuthError("Unknown user");
    return user;
  }

  /** Makes two users friends of each other (mutual, idempotent). */
  async addFriend(userId: string, friendId: string): Promise<void> {
    if (userId === friendId) throw new ValidationError("Cannot befriend yourself");
    await this.requireLive(friendId);
    if ((await this.blockedEither(userId)).has(friendId)) throw blockedError();
    await this.#store.users.addFriendship(userId, friendId);
    // A block or a deletion stored meanwhile ended friendships before this one was written:
    // looking again after the write, one of the two sees the other.
    const [deleted, blocked] = await Promise.all([
      this.deletedAmong([userId, friendId]),
      this.blockedEither(userId),
    ]);
    if (deleted.length > 0 || blocked.has(friendId)) {
      await this.#store.users.removeFriendship(userId, friendId);
      if (deleted.length === 0) throw blockedError();
    }
  }

  /** Ends a friendship on both sides (idempotent). */
  async removeFriend(userId: string, friendId: string): Promise<void> {
    if (userId === friendId) throw new ValidationError("Cannot unfriend yourself");
    if (!await this.#store.users.get(friendId)) {
      throw new AccessError("not_found", "User not found");
    }
    await this.#store.users.removeFriendship(userId, friendId);
  }
}
