/**
 * A small REST client for what sockets do not carry: accounts, friends, blocks,
 * reports, chats and history. Errors arrive as `ChatClientError` with the
 * protocol's code. The calls about users are in `_rest_people.ts`, those that
 * change a group in `_rest_groups.ts`, a user's own settings of a chat in
 * `_rest_settings.ts`, files in `_rest_files.ts`, messages sent over REST in
 * `_rest_messages.ts`.
 * @module
 */
import type { AuthSession } from "../protocol/users.ts";
import type {
  ChangesPage,
  ChatView,
  HistoryAfterPage,
  HistoryPage,
  MessageView,
  ReceiptView,
  SearchPage,
  StarredPage,
  StarView,
} from "../protocol/objects.ts";
import { chatPath, messagePath, request, withQuery } from "./_request.ts";
import { MessagesRest } from "./_rest_messages.ts";

/** Calls the REST API as one user. */
export class RestClient extends MessagesRest {
  /** Creates an account; resolves with its token and user. */
  static register(
    url: string,
    input: { username: string; email: string; password: string },
  ): Promise<AuthSession> {
    return request(url, "/api/auth/register", { method: "POST", body: input });
  }

  /**
   * Logs in through the app's identity provider, with its token for the user
   * (an ID token, or one the app's backend signs); the first login makes the
   * account, whose id is the token's subject.
   */
  static loginExternal(url: string, token: string): Promise<AuthSession> {
    return request(url, "/api/auth/external", { method: "POST", body: { token } });
  }

  /** Logs in with a username or email and a password. */
  static login(url: string, input: { login: string; password: string }): Promise<AuthSession> {
    const key = input.login.includes("@") ? "email" : "username";
    const body = { [key]: input.login, password: input.password };
    return request(url, "/api/auth/login", { method: "POST", body });
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
      const path = withQuery("/api/chats", { limit: 100, cursor: cursor ?? undefined });
      const page: ChatsPage = await this.call("GET", path);
      for (const chat of page.chats) if (!all.has(chat.id)) all.set(chat.id, chat);
      cursor = page.nextCursor;
    } while (cursor);
    return [...all.values()];
  }

  /** One chat as `chats()` lists it: its last message, unread count and owner. */
  chat(chatId: string): Promise<ChatView> {
    return this.callChat("GET", chatPath(chatId));
  }

  /**
   * Disappearing messages: each new message of the chat lasts `seconds` (30 to a
   * year; `expiresAt` on it), or with null they stay. Every member hears it.
   */
  setMessageTimer(chatId: string, seconds: number | null): Promise<ChatView> {
    return this.callChat("PUT", chatPath(chatId, "timer"), { seconds });
  }

  /**
   * Pins a message for everyone in its chat (at most ten, the latest first);
   * resolves with the chat, whose members' `ChatClient`s emit `participants`.
   */
  pin(messageId: string): Promise<ChatView> {
    return this.callChat("PUT", messagePath(messageId, "pin"));
  }

  /** Unpins a message; resolves with the chat. */
  unpin(messageId: string): Promise<ChatView> {
    return this.callChat("DELETE", messagePath(messageId, "pin"));
  }

  /** A chat's pinned messages the caller can read, the latest pin first. */
  async pins(chatId: string): Promise<MessageView[]> {
    return (await this.call<{ messages: MessageView[] }>("GET", chatPath(chatId, "pins"))).messages;
  }

  /** The direct chat with a user, created when missing. */
  directChat(userId: string): Promise<ChatView> {
    const body = { type: "direct", participantIds: [userId] };
    return this.callChat("POST", "/api/chats", body);
  }

  /** A page of a chat's history, newest first; `nextBeforeSeq` reads the older ones. */
  async history(
    chatId: string,
    options: { beforeSeq?: number; limit?: number } = {},
  ): Promise<HistoryPage> {
    return await this.call<HistoryPage>("GET", chatPath(chatId, "messages", options));
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
    return await this.call<HistoryAfterPage>("GET", chatPath(chatId, "messages", query));
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
    return await this.call<ChangesPage>("GET", chatPath(chatId, "changes", query));
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
    return await this.call<SearchPage>("GET", chatPath(chatId, "search", query));
  }

  /**
   * Marks others' messages in a chat read up to `upToSeq`, as `ChatClient.markRead`
   * does, for code without a socket (a notification's "mark as read" action).
   */
  async markRead(chatId: string, upToSeq: number): Promise<void> {
    await this.call("POST", chatPath(chatId, "read"), { upToSeq });
  }

  /** Stars a message the caller can read, to find it again (`starred()`); resolves with the star. */
  async star(messageId: string): Promise<StarView> {
    return (await this.call<{ star: StarView }>("PUT", messagePath(messageId, "star"))).star;
  }

  /** Unstars a message (idempotent). */
  async unstar(messageId: string): Promise<void> {
    await this.call("DELETE", messagePath(messageId, "star"));
  }

  /** A page of the caller's starred messages, the latest star first; pass `nextCursor` on. */
  async starred(options: { limit?: number; cursor?: string } = {}): Promise<StarredPage> {
    return await this.call<StarredPage>("GET", withQuery("/api/starred", options));
  }

  /** Where each recipient of one of the caller's own messages stands. */
  async receipts(messageId: string): Promise<ReceiptView[]> {
    const path = messagePath(messageId, "receipts");
    return (await this.call<{ receipts: ReceiptView[] }>("GET", path)).receipts;
  }
}

type ChatsPage = { chats: ChatView[]; nextCursor: string | null };
