/**
 * Users and their logins as clients see them, and a copy of a user's data.
 * @module
 */
import type { AttachmentView } from "./files.ts";
import type { ChatView, MessageView } from "./objects.ts";

/** A user as another user (or the user themself) sees them. */
export interface UserView {
  id: string;
  username: string;
  /** Only to the user themself. */
  email?: string;
  displayName: string;
  avatar?: string;
  /** Only to friends, chat partners and the user themself. */
  isOnline?: boolean;
  /** Only to friends, chat partners and the user themself; null when never seen. */
  lastSeen?: string | null;
  /**
   * Extension, only to the user themself: they hide being online and their last
   * seen (`PUT /api/auth/privacy`); then nobody else gets `isOnline` or `lastSeen`.
   */
  hidePresence?: true;
  /**
   * Extension, only to the user themself: false while they send no read receipts
   * (`PUT /api/auth/privacy`); then what they read shows as delivered to senders,
   * and their own messages show as delivered to them at most.
   */
  readReceipts?: false;
  createdAt: string;
  /**
   * Extension: the account was deleted. Then `username` is empty and
   * `displayName` is "Deleted account"; the id still names their messages.
   */
  deleted?: true;
}

/** The answer to register, login and refresh. */
export interface AuthSession {
  token: string;
  /** When the token expires (ISO 8601): refresh before then to stay logged in. */
  expiresAt: string;
  user: UserView;
}

/** Extension: one of the user's logins, as `GET /api/auth/sessions` lists it. */
export interface SessionView {
  id: string;
  createdAt: string;
  /** The login's last token refresh, or socket connection. */
  lastActiveAt: string;
  /** When its token expires, unless the client refreshes it. */
  expiresAt: string;
  /** The client's `User-Agent` at the login. */
  agent?: string;
  /** Whether it is the login that asked. */
  current: boolean;
}

/**
 * Extension: one line of `GET /api/auth/me/export`, a copy of the user's data
 * as newline-delimited JSON, each line one of these.
 */
export type ExportRecord =
  | { type: "user"; user: UserView }
  | { type: "friend"; user: UserView }
  | { type: "blocked"; userId: string }
  | { type: "chat"; chat: ChatView }
  | { type: "message"; message: MessageView }
  /** A file of the message before it, its bytes as base64. */
  | { type: "file"; messageId: string; file: AttachmentView; data: string }
  | { type: "star"; messageId: string; starredAt: string }
  | { type: "session"; session: SessionView };
