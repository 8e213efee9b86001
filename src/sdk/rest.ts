/**
 * A small REST client for what sockets do not carry: accounts, friends, blocks,
 * reports, chats and history. Errors arrive as `ChatClientError` with the protocol's code.
 * @module
 */
import type {
  AuthSession,
  ChangesPage,
  ChatView,
  HistoryAfterPage,
  HistoryPage,
  ReceiptView,
  ReportView,
  SearchPage,
  UserView,
} from "../protocol/objects.ts";
import type { ReportInput } from "../protocol/schemas.ts";
import { chatPath, request } from "./_request.ts";

/** Calls the REST API as one user. */
export class RestClient {
  readonly url: string;
  #token: string;

  /** Creates a client for a token (see `register` and `login`). */
  constructor(url: string, token: string) {
    this.url = url;
    this.#token = token;
  }

  /** The token the client sends. */
  get token(): string {
    return this.#token;
  }

  /** Sends `token` from now on (after `refresh()`; `keepLoggedIn` does it for you). */
  setToken(token: string): void {
    this.#token = token;
  }

  /** Creates an account; resolves with its token and user. */
  static register(
    url: string,
    input: { username: string; email: string; password: string },
  ): Promise<AuthSession> {
    return request(url, "/api/auth/register", { method: "POST", body: input });
  }

  /** Logs in with a username or email and a password. */
  static login(url: string, input: { login: string; password: string }): Promise<AuthSession> {
    const key = input.login.includes("@") ? "email" : "username";
    const body = { [key]: input.login, password: input.password };
    return request(url, "/api/auth/login", { method: "POST", body });
  }

  /** The user this token belongs to. */
  async me(): Promise<UserView> {
    return (await this.#call<{ user: UserView }>("GET", "/api/auth/me")).user;
  }

  /** Sets the display name or the avatar URL (`avatar: null` removes it); resolves with the user. */
  async updateProfile(patch: { displayName?: string; avatar?: string | null }): Promise<UserView> {
    return (await this.#call<{ user: UserView }>("PUT", "/api/auth/profile", patch)).user;
  }

  /**
   * A new token for this login, with a full lifetime (up to the login's max
   * age): refresh before the token expires to stay logged in, and hand the new
   * one to `setToken()` here and on the `ChatClient`, or let `keepLoggedIn` do it.
   */
  refresh(): Promise<AuthSession> {
    return this.#call("POST", "/api/auth/refresh");
  }

  /** Ends this login: its tokens, refreshed ones included, and their sockets. */
  async logout(): Promise<void> {
    await this.#call("POST", "/api/auth/logout");
  }

  /**
   * Ends every login of the user, this one included (a lost device): their
   * tokens are refused and their sockets disconnected. Log in again after.
   */
  async logoutEverywhere(): Promise<void> {
    await this.#call("POST", "/api/auth/logout/all");
  }

  /**
   * Changes the password and logs out every other login of the user; this one
   * stays. Rejects with `forbidden` when `currentPassword` is wrong, and with
   * `conflict` when another login changed it (or logged out everywhere) at the
   * same moment.
   */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.#call("PUT", "/api/auth/password", { currentPassword, newPassword });
  }

  /**
   * Deletes the user's account for good, once `password` confirms it: every
   * login ends (this one's too) and the user leaves every chat; their messages
   * stay in others' history under "Deleted account". Rejects with `forbidden`
   * when the password is wrong. If the answer was lost, ask again: the same
   * login may until it is done.
   */
  async deleteAccount(password: string): Promise<void> {
    await this.#call("DELETE", "/api/auth/me", { password });
  }

  /** Friends, with online state and last seen. */
  async friends(): Promise<UserView[]> {
    return (await this.#call<{ friends: UserView[] }>("GET", "/api/friends")).friends;
  }

  /** Finds a user by exact username. */
  async findUser(username: string): Promise<UserView> {
    const path = `/api/users/by-username/${encodeURIComponent(username)}`;
    return (await this.#call<{ user: UserView }>("GET", path)).user;
  }

  /** A user by id: a group member who is not a friend, say. */
  async user(userId: string): Promise<UserView> {
    return (await this.#call<{ user: UserView }>("GET", userPath("users", userId))).user;
  }

  /** Makes a user a friend (both ways). */
  async addFriend(userId: string): Promise<void> {
    await this.#call("POST", userPath("friends", userId));
  }

  /** Ends a friendship (both ways); chats already started stay. */
  async removeFriend(userId: string): Promise<void> {
    await this.#call("DELETE", userPath("friends", userId));
  }

  /** The users this user blocked. */
  async blocks(): Promise<UserView[]> {
    return (await this.#call<{ users: UserView[] }>("GET", "/api/blocks")).users;
  }

  /**
   * Blocks a user: neither of you can write to your direct chat, see the other's
   * presence or add the other anywhere, and a friendship ends. Refusals arrive as
   * `forbidden` with `details.reason` "blocked".
   */
  async block(userId: string): Promise<void> {
    await this.#call("POST", userPath("blocks", userId));
  }

  /** Lifts this user's block; a block by the other user stays. */
  async unblock(userId: string): Promise<void> {
    await this.#call("DELETE", userPath("blocks", userId));
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
    return (await this.#call<{ report: ReportView }>("POST", "/api/reports", body)).report;
  }

  /**
   * All the user's chats, most recent first, with unread counts, read a page of
   * 100 at a time. A chat that gets a message while the pages are read may move
   * to a page already read: the `message` event tells of it anyway.
   */
  async chats(): Promise<ChatView[]> {
    const all = new Map<string, ChatView>();
    let cursor: string | null = null;
    do {
      const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page: ChatsPage = await this.#call("GET", `/api/chats?limit=100${query}`);
      for (const chat of page.chats) if (!all.has(chat.id)) all.set(chat.id, chat);
      cursor = page.nextCursor;
    } while (cursor);
    return [...all.values()];
  }

  /** One chat as `chats()` lists it: its last message, unread count and owner. */
  chat(chatId: string): Promise<ChatView> {
    return this.#chat("GET", chatPath(chatId));
  }

  /**
   * Renames a group the caller is in (any participant may); resolves with the
   * group as it is now, and every member's `ChatClient` emits `participants`.
   */
  renameChat(chatId: string, name: string): Promise<ChatView> {
    return this.#chat("PUT", chatPath(chatId), { name });
  }

  /**
   * Mutes a chat's push notifications for the caller, until `until` or until
   * `unmuteChat`; messages still arrive and count as unread.
   */
  muteChat(chatId: string, options: { until?: Date } = {}): Promise<ChatView> {
    return this.#chat("PUT", chatPath(chatId, "mute"), { until: options.until?.toISOString() });
  }

  /** Lifts the caller's mute of a chat. */
  unmuteChat(chatId: string): Promise<ChatView> {
    return this.#chat("DELETE", chatPath(chatId, "mute"));
  }

  /** The direct chat with a user, created when missing. */
  directChat(userId: string): Promise<ChatView> {
    const body = { type: "direct", participantIds: [userId] };
    return this.#chat("POST", "/api/chats", body);
  }

  /** Creates a group chat of the caller and these users. */
  createGroup(name: string, participantIds: string[]): Promise<ChatView> {
    const body = { type: "group", name, participantIds };
    return this.#chat("POST", "/api/chats", body);
  }

  /**
   * Adds a user to a group the caller is in; resolves with the group as it is
   * now. The new member sees the history from when they joined.
   */
  addParticipant(chatId: string, userId: string): Promise<ChatView> {
    const path = chatPath(chatId, "participants");
    return this.#chat("POST", path, { userId });
  }

  /**
   * Removes a participant from a group; only its owner (`ownerId`) may remove
   * others, and anyone may remove themselves (see `leaveChat`).
   */
  removeParticipant(chatId: string, userId: string): Promise<ChatView> {
    const path = chatPath(chatId, `participants/${encodeURIComponent(userId)}`);
    return this.#chat("DELETE", path);
  }

  /** Leaves a group: the caller gets nothing more of it and can no longer read it. */
  async leaveChat(chatId: string): Promise<void> {
    // The route names the user by id, and the token alone does not carry it here.
    await this.removeParticipant(chatId, (await this.me()).id);
  }

  /** A page of a chat's history, newest first; `nextBeforeSeq` reads the older ones. */
  async history(
    chatId: string,
    options: { beforeSeq?: number; limit?: number } = {},
  ): Promise<HistoryPage> {
    return await this.#call<HistoryPage>("GET", chatPath(chatId, "messages", options));
  }

  /**
   * The messages stored after `afterSeq`, oldest first: what this device missed
   * while away, its user's own sends from other devices included. Call again with
   * `nextAfterSeq` until it is null.
   */
  async historyAfter(
    chatId: string,
    afterSeq: number,
    options: { beforeSeq?: number; limit?: number } = {},
  ): Promise<HistoryAfterPage> {
    const query = { ...options, afterSeq };
    return await this.#call<HistoryAfterPage>("GET", chatPath(chatId, "messages", query));
  }

  /**
   * The messages edited, deleted or reacted to after `afterChangeSeq`, as they are
   * now: what this device missed of messages it already holds. Start from a
   * history page's `lastChangeSeq`, keep each answer's, and ask again while
   * `hasMore`.
   */
  async changes(
    chatId: string,
    afterChangeSeq: number,
    options: { limit?: number } = {},
  ): Promise<ChangesPage> {
    const query = { ...options, afterChangeSeq };
    return await this.#call<ChangesPage>("GET", chatPath(chatId, "changes", query));
  }

  /**
   * Messages of a chat containing `text` (case and accents aside), newest first.
   * One call reads a bounded stretch of history: ask again with `nextBeforeSeq`
   * as `beforeSeq` for older matches, until it is null.
   */
  async search(
    chatId: string,
    text: string,
    options: { beforeSeq?: number; limit?: number } = {},
  ): Promise<SearchPage> {
    const query = { ...options, q: text };
    return await this.#call<SearchPage>("GET", chatPath(chatId, "search", query));
  }

  /**
   * Marks others' messages in a chat read up to `upToSeq`, as `ChatClient.markRead`
   * does, for code without a socket (a notification's "mark as read" action).
   */
  async markRead(chatId: string, upToSeq: number): Promise<void> {
    await this.#call("POST", chatPath(chatId, "read"), { upToSeq });
  }

  /** Where each recipient of one of the caller's own messages stands. */
  async receipts(messageId: string): Promise<ReceiptView[]> {
    const path = `/api/messages/${encodeURIComponent(messageId)}/receipts`;
    return (await this.#call<{ receipts: ReceiptView[] }>("GET", path)).receipts;
  }

  async #chat(method: string, path: string, body?: unknown): Promise<ChatView> {
    return (await this.#call<{ chat: ChatView }>(method, path, body)).chat;
  }

  #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return request(this.url, path, { method, body, token: this.#token });
  }
}

const userPath = (tail: "users" | "friends" | "blocks", userId: string) =>
  `/api/${tail}/${encodeURIComponent(userId)}`;

type ChatsPage = { chats: ChatView[]; nextCursor: string | null };
