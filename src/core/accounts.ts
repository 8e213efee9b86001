/**
 * Deleting an account, which app stores require of apps where users sign up.
 * The user confirms with their password. Their other logins end at once; then
 * they leave every chat (a group carries on without them; a direct chat stays
 * with the partner, who keeps its history but can no longer write to it), their
 * friendships and blocks go, and their record becomes a tombstone: username and
 * email are free for new accounts, and the messages they sent stay in history
 * under "Deleted account". Every step can be done twice, so a deletion cut off
 * by a crash finishes when the deleting device asks again, or else when the
 * server sweeps for deletions left unfinished (`finishDeletions`).
 * @module
 */
import { ServerEvents } from "../protocol/mod.ts";
import { AccessError } from "./errors.ts";
import type { AuthService, Principal } from "./auth.ts";
import type { SessionService } from "./sessions.ts";
import type { GroupService } from "./groups.ts";
import type { AppEventService } from "./app_events.ts";
import type { Notifier, Store } from "./ports.ts";
import type { UserRecord } from "./types.ts";
import type { UserService } from "./users.ts";
import { passwordAccountError } from "./_login.ts";

// What is left of a deleted user: an id, and a name to show for their messages.
function tombstoneOf(user: UserRecord, deletedAt: string): UserRecord {
  return {
    id: user.id,
    username: "",
    email: "",
    displayName: "Deleted account",
    passwordHash: "",
    createdAt: user.createdAt,
    deletedAt,
    // Still the provider's account: the operators see so, and the app may repeat its deletion.
    ...(user.external ? { external: true } : {}),
  };
}

/** Deletes accounts. */
export class AccountService {
  #store: Store;
  #auth: AuthService;
  #sessions: SessionService;
  #users: UserService;
  #groups: GroupService;
  #notifier: Notifier;
  #events?: AppEventService;

  /** Creates the service over the store, the auth, login, user and group services and the transport. */
  constructor(
    deps: {
      store: Store;
      auth: AuthService;
      sessions: SessionService;
      users: UserService;
      groups: GroupService;
      notifier: Notifier;
      events?: AppEventService;
    },
  ) {
    this.#store = deps.store;
    this.#auth = deps.auth;
    this.#sessions = deps.sessions;
    this.#users = deps.users;
    this.#groups = deps.groups;
    this.#notifier = deps.notifier;
    this.#events = deps.events;
  }

  /**
   * Deletes the caller's account once `password` is confirmed (a recent login,
   * for an account without one: `AuthService.confirmPassword`); the caller's
   * sockets are disconnected last. Idempotent for the deleting login.
   */
  async delete(principal: Principal, password?: string, address?: string): Promise<void> {
    await this.#auth.confirmPassword(principal, password, address);
    await this.#delete(principal.user, principal.claims.sid);
  }

  /**
   * Deletes an account for the operators (`DELETE /api/admin/users/:userId`),
   * as its user's own deletion does but with no password and no login kept:
   * for a user who asked them, or for the app's backend when its own user
   * goes. Idempotent; `not_found` for an unknown user. With `appOnly` (the
   * app's backend, `DELETE /api/app/users/:userId`), only an account of the
   * app's identity provider: `passwordAccountError` for one of a password.
   */
  async deleteForOperators(userId: string, options: { appOnly?: boolean } = {}): Promise<void> {
    const user = await this.#store.users.get(userId);
    if (!user) throw new AccessError("not_found", "User not found");
    // A deleted account of the provider stays one (`tombstoneOf`): a retry is answered
    // as the first was.
    if (options.appOnly && !user.external) throw passwordAccountError();
    await this.#delete(user);
  }

  async #delete(user: UserRecord, keep?: string): Promise<void> {
    const deletedAt = user.deletedAt ?? new Date().toISOString();
    // Marked first: from here no other login counts, nobody can log in, befriend
    // them, block them, add them to a group or start a chat with them.
    await this.#sessions.endLogins(user, { patch: { deletedAt }, keep });
    await this.#finish(user, deletedAt);
  }

  /**
   * Finishes the deletions marked before `markedBefore` that were cut short (by
   * a crash, or a device that never asked again): otherwise such an account
   * would stay locked, keep its username and go on collecting messages. Returns
   * how many it finished. Every node may run it: each step can be done twice.
   */
  async finishDeletions(markedBefore: Date): Promise<number> {
    const stale = (await this.#store.users.listDeletions())
      .filter((user) => Date.parse(user.deletedAt!) < markedBefore.getTime());
    for (const user of stale) await this.#finish(user, user.deletedAt!);
    return stale.length;
  }

  // Every step after the mark.
  async #finish(user: UserRecord, deletedAt: string): Promise<void> {
    // Told before the contacts are gone: afterwards nobody would hear of it.
    const contacts = await this.#users.contacts(user.id);
    this.#notifier.emit([...contacts], ServerEvents.userOffline, {
      userId: user.id,
      lastSeen: deletedAt,
    });
    await this.#dropRelations(user.id);
    await this.#leaveChats(user.id);
    await this.#store.stars.removeAll(user.id);
    // Before the erase, which ends the sweep's retries: a crash in between sends it again.
    await this.#events?.publishUserDeleted(user.id, deletedAt);
    await this.#store.users.erase(user.id, tombstoneOf(user, deletedAt));
    this.#notifier.endUserSessions(user.id);
  }

  // Friendships and blocks both ways: nobody keeps a deleted account in a list.
  async #dropRelations(userId: string): Promise<void> {
    const users = this.#store.users;
    const [friends, { blocked, blockedBy }] = await Promise.all([
      users.listFriends(userId),
      users.blocks(userId),
    ]);
    for (const id of friends) await users.removeFriendship(userId, id);
    for (const id of blocked) await users.setBlocked(userId, id, false);
    for (const id of blockedBy) await users.setBlocked(id, userId, false);
  }

  // Leaves each chat as a member leaving a group does: the store drops what was
  // pending for the user there, and the others hear `chat:updated`.
  async #leaveChats(userId: string): Promise<void> {
    for (const { chat } of await this.#store.chats.listForUser(userId)) {
      await this.#groups.removeMember(chat.id, userId);
    }
  }
}
