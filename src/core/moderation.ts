/**
 * What the operators do about the abuse reported to them (core/reports.ts):
 * look a user up, suspend them and lift the suspension, and take a message down.
 * A suspension ends the user's logins at once (their sockets are disconnected,
 * their tokens refused) and refuses new ones until it is lifted; nothing else
 * changes, so lifting it gives the account back as it was, with the messages
 * sent to it meanwhile waiting. Each action is logged: the audit trail.
 * @module
 */
import type { AdminUserView } from "../protocol/mod.ts";
import type { SessionService } from "./sessions.ts";
import { AccessError, ConflictError } from "./errors.ts";
import type { MessageService } from "./messages.ts";
import type { Logger, Store } from "./ports.ts";
import type { UserRecord } from "./types.ts";

// A password change or a deletion racing a suspension wins the write once;
// reading the user again settles it.
const SUSPEND_ATTEMPTS = 3;

function toAdminView(user: UserRecord): AdminUserView {
  const { id, username, email, displayName, createdAt } = user;
  const view: AdminUserView = { id, username, displayName, createdAt };
  if (email !== undefined) view.email = email;
  if (user.external) view.external = true;
  if (user.lastSeen) view.lastSeen = user.lastSeen;
  if (user.deletedAt) view.deletedAt = user.deletedAt;
  if (user.suspension) view.suspension = user.suspension;
  return view;
}

/** The operators' actions on users and messages. */
export class ModerationService {
  #store: Store;
  #sessions: SessionService;
  #messages: MessageService;
  #logger: Logger;

  /** Creates the service over the store, the login and message services and the log. */
  constructor(
    deps: { store: Store; sessions: SessionService; messages: MessageService; logger: Logger },
  ) {
    this.#store = deps.store;
    this.#sessions = deps.sessions;
    this.#messages = deps.messages;
    this.#logger = deps.logger;
  }

  /** A user as the operators see them; `not_found` when there is no such user. */
  async user(userId: string): Promise<AdminUserView> {
    return toAdminView(await this.#require(userId));
  }

  /**
   * The user with this username or email (either case), as the operators see
   * them: support hears of users by name, reports name them by id.
   */
  async findUser(login: string): Promise<AdminUserView> {
    const user = await this.#store.users.findByLogin(login);
    if (!user) throw new AccessError("not_found", "User not found");
    return toAdminView(user);
  }

  /**
   * Suspends a user, or changes the reason of a suspension (keeping its start).
   * `not_found` for a deleted account: there is nothing left to keep out.
   */
  async suspend(userId: string, reason: string): Promise<AdminUserView> {
    for (let attempt = 1;; attempt++) {
      const user = await this.#require(userId);
      if (user.deletedAt) throw new AccessError("not_found", "User not found");
      const suspendedAt = user.suspension?.suspendedAt ?? new Date().toISOString();
      try {
        const updated = await this.#sessions.endLogins(user, {
          patch: { suspension: { reason, suspendedAt } },
        });
        this.#logger.info("user suspended", { userId, reason });
        return toAdminView(updated);
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt === SUSPEND_ATTEMPTS) throw error;
      }
    }
  }

  /** Lets a suspended user log in again; does nothing for one not suspended. */
  async lift(userId: string): Promise<void> {
    const user = await this.#require(userId);
    if (!user.suspension) return;
    await this.#store.users.update(userId, { suspension: undefined });
    this.#logger.info("suspension lifted", { userId });
  }

  /** Removes any message as its sender's delete would; see `MessageService.takeDown`. */
  async takeDown(messageId: string): Promise<void> {
    await this.#messages.takeDown(messageId);
    this.#logger.info("message taken down", { messageId });
  }

  async #require(userId: string): Promise<UserRecord> {
    const user = await this.#store.users.get(userId);
    if (!user) throw new AccessError("not_found", "User not found");
    return user;
  }
}
