/**
 * `RestClient`'s calls about users: the account and its logins, friends,
 * blocks and reports.
 * @module
 */
import type { AuthSession, ExportRecord, SessionView, UserView } from "../protocol/users.ts";
import type { ReportInput, ReportView } from "../protocol/reports.ts";
import { RestBase } from "./_rest_base.ts";
import { requestLines } from "./_request.ts";

const userPath = (tail: "users" | "friends" | "blocks", userId: string) =>
  `/api/${tail}/${encodeURIComponent(userId)}`;

/** The account, friends, blocks and reports (part of `RestClient`). */
export class PeopleRest extends RestBase {
  /** The user this token belongs to. */
  async me(): Promise<UserView> {
    return (await this.call<{ user: UserView }>("GET", "/api/auth/me")).user;
  }

  /** Sets the display name or the avatar URL (`avatar: null` removes it); resolves with the user. */
  async updateProfile(patch: { displayName?: string; avatar?: string | null }): Promise<UserView> {
    return (await this.call<{ user: UserView }>("PUT", "/api/auth/profile", patch)).user;
  }

  /**
   * Hides being online and last seen from everyone (`true`) or shows them again;
   * resolves with the user, whose `hidePresence` says which.
   */
  hidePresence(hidden: boolean): Promise<UserView> {
    return this.#privacy({ hidePresence: hidden });
  }

  /**
   * Stops sending read receipts (`false`): what this user reads then shows as
   * delivered to senders; `true` sends them again. Resolves with the user, whose
   * `readReceipts` says which.
   */
  setReadReceipts(on: boolean): Promise<UserView> {
    return this.#privacy({ readReceipts: on });
  }

  async #privacy(body: { hidePresence?: boolean; readReceipts?: boolean }): Promise<UserView> {
    return (await this.call<{ user: UserView }>("PUT", "/api/auth/privacy", body)).user;
  }

  /**
   * A new token for this login, with a full lifetime (up to the login's max
   * age): refresh before the token expires to stay logged in, and hand the new
   * one to `setToken()` here and on the `ChatClient`, or let `keepLoggedIn` do it.
   */
  refresh(): Promise<AuthSession> {
    return this.call("POST", "/api/auth/refresh");
  }

  /** Ends this login: its tokens, refreshed ones included, and their sockets. */
  async logout(): Promise<void> {
    await this.call("POST", "/api/auth/logout");
  }

  /**
   * A copy of the user's data, record by record: the account, friends, blocks,
   * chats, every message they sent with its files, stars and logins. At most `EXPORT_LIMIT`
   * copies a window (`rate_limited` beyond): each reads the whole history.
   */
  exportData(): Promise<ExportRecord[]> {
    return requestLines(this.url, "/api/auth/me/export", { method: "GET", token: this.token });
  }

  /**
   * The user's logins that still work, the latest active first: each with the
   * `agent` (User-Agent) it logged in with; `current` is this one.
   */
  async sessions(): Promise<SessionView[]> {
    return (await this.call<{ sessions: SessionView[] }>("GET", "/api/auth/sessions")).sessions;
  }

  /**
   * Ends one of the user's logins (a device they lost or do not recognise): its
   * tokens are refused and its sockets disconnected. This login's own id logs out.
   */
  async endSession(id: string): Promise<void> {
    await this.call("DELETE", `/api/auth/sessions/${encodeURIComponent(id)}`);
  }

  /**
   * Ends every login of the user, this one included (a lost device): their
   * tokens are refused and their sockets disconnected. Log in again after.
   */
  async logoutEverywhere(): Promise<void> {
    await this.call("POST", "/api/auth/logout/all");
  }

  /**
   * Changes the password and logs out every other login of the user; this one
   * stays. Rejects with `forbidden` when `currentPassword` is wrong, and with
   * `conflict` when another login changed it (or logged out everywhere) at the
   * same moment.
   */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.call("PUT", "/api/auth/password", { currentPassword, newPassword });
  }

  /**
   * Deletes the user's account for good, once `password` confirms it: every
   * login ends (this one's too) and the user leaves every chat; their messages
   * stay in others' history under "Deleted account". Rejects with `forbidden`
   * when the password is wrong. If the answer was lost, ask again: the same
   * login may until it is done.
   */
  async deleteAccount(password: string): Promise<void> {
    await this.call("DELETE", "/api/auth/me", { password });
  }

  /** Friends, with online state and last seen. */
  async friends(): Promise<UserView[]> {
    return (await this.call<{ friends: UserView[] }>("GET", "/api/friends")).friends;
  }

  /** Finds a user by exact username. */
  async findUser(username: string): Promise<UserView> {
    const path = `/api/users/by-username/${encodeURIComponent(username)}`;
    return (await this.call<{ user: UserView }>("GET", path)).user;
  }

  /** A user by id: a group member who is not a friend, say. */
  async user(userId: string): Promise<UserView> {
    return (await this.call<{ user: UserView }>("GET", userPath("users", userId))).user;
  }

  /** Makes a user a friend (both ways). */
  async addFriend(userId: string): Promise<void> {
    await this.call("POST", userPath("friends", userId));
  }

  /** Ends a friendship (both ways); chats already started stay. */
  async removeFriend(userId: string): Promise<void> {
    await this.call("DELETE", userPath("friends", userId));
  }

  /** The users this user blocked. */
  async blocks(): Promise<UserView[]> {
    return (await this.call<{ users: UserView[] }>("GET", "/api/blocks")).users;
  }

  /**
   * Blocks a user: neither of you can write to your direct chat, see the other's
   * presence or add the other anywhere, and a friendship ends. Refusals arrive as
   * `forbidden` with `details.reason` "blocked".
   */
  async block(userId: string): Promise<void> {
    await this.call("POST", userPath("blocks", userId));
  }

  /** Lifts this user's block; a block by the other user stays. */
  async unblock(userId: string): Promise<void> {
    await this.call("DELETE", userPath("blocks", userId));
  }

  /**
   * Reports a user, or one of their messages, to the operators; the user is not
   * told. Reporting the same again resolves with the first report. Offer it
   * beside `block`: app stores ask for both.
   */
  async report(
    userId: string,
    options: Omit<ReportInput, "userId">,
  ): Promise<ReportView> {
    const body = { userId, ...options };
    return (await this.call<{ report: ReportView }>("POST", "/api/reports", body)).report;
  }
}
