/**
 * The ports: what the core needs from storage (`store_ports.ts`, `user_ports.ts`,
 * `message_ports.ts`, `file_ports.ts`), presence, the offline queue, the
 * transport, tokens, rate limits, job queues (`job_ports.ts`) and encryption.
 * Adapters in `src/adapters/<tech>/` implement them; `tests/contract/` holds one
 * suite per port that every implementation runs.
 * @module
 */
import type { ServerEvent } from "../protocol/mod.ts";
import type { PendingCursor } from "./message_ports.ts";
import type { MessageRecord, MessageRef } from "./types.ts";

export type * from "./store_ports.ts";
export type * from "./user_ports.ts";
export type * from "./message_ports.ts";
export type * from "./file_ports.ts";
export type * from "./job_ports.ts";

/** Which users have a device connected, across every node. */
export interface Presence {
  /** Records a device; true when it is the user's first. */
  connect(userId: string, deviceId: string): Promise<boolean>;
  /** Forgets a device; true when it was the user's last. */
  disconnect(userId: string, deviceId: string): Promise<boolean>;
  /** The subset of `userIds` with at least one device connected. */
  online(userIds: readonly string[]): Promise<Set<string>>;
  /**
   * Forgets devices whose node stopped refreshing them (it died) and returns the
   * users left with no device. Each such user is returned by one call only, across nodes.
   */
  sweep(): Promise<string[]>;
  /** Resolves when presence answers. */
  ping(): Promise<void>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/**
 * The offline backlog. The store's pending index is the source of truth; a queue
 * adapter may hold a faster copy of it but must never be the only copy.
 */
export interface OfflineQueue {
  /**
   * False when the store's pending index is the queue and `enqueue` does nothing:
   * then a send need not ask presence who is offline.
   */
  readonly keepsCopies: boolean;
  /** Queues a stored message for a recipient with no connected device. */
  enqueue(userId: string, message: MessageRecord): Promise<void>;
  /** The user's backlog in (chatId, seq) order after `after`. */
  backlog(
    userId: string,
    options: { after?: PendingCursor; limit: number },
  ): Promise<MessageRecord[]>;
  /** Tells the queue these messages reached a device of the user. */
  settle(userId: string, refs: readonly MessageRef[]): Promise<void>;
  /** This node has no session of the user left: return what it holds to the queue. */
  release(userId: string): Promise<void>;
  /** Resolves when the queue answers. */
  ping(): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** The transport, as the core sees it: events to users' devices on every node. */
export interface Notifier {
  /**
   * Emits an event to every connected device of each user, but `options.except`
   * (a device id: the one that caused it); fire and forget.
   */
  emit(
    userIds: readonly string[],
    event: ServerEvent,
    payload: unknown,
    options?: { except?: string },
  ): void;
  /**
   * Wakes the delivery sessions of these users on the other nodes. With `messages`
   * (just stored), the sessions there take them as this node's do (`offer`): a
   * device there then gets each live even when a device of its user here
   * acknowledged it first, which takes it out of the backlog the ring has read.
   */
  ring(userIds: readonly string[], messages?: readonly MessageRecord[]): void;
  /** Disconnects every socket that authenticated with a token of this login session. */
  endSession(sessionId: string): void;
  /** Disconnects every socket of a user but those of the login session `options.except`. */
  endUserSessions(userId: string, options?: { except?: string }): void;
  /** Takes a user's sockets out of a chat's live room (they were removed from it). */
  leaveChat(userId: string, chatId: string): void;
}

/** Claims of an access token. */
export interface TokenClaims {
  sub: string;
  jti: string;
  /**
   * The login session: the `jti` of the token the login issued, kept by every
   * token refreshed from it, so that logout ends them all.
   */
  sid: string;
  /** When the login happened (seconds): no refresh makes a token outlive it by the max age. */
  authTime: number;
  /**
   * The user's token generation when the login happened (`gen`; 0 on tokens
   * from before password changes existed): a password change refuses older ones.
   */
  generation: number;
  exp: number;
}

/** Signs and verifies access tokens. */
export interface TokenSigner {
  /** How long a token lives. */
  readonly ttlSeconds: number;
  /**
   * Issues a token for a user: for a new login of `generation`, or for
   * `session`'s (a refresh, which keeps its generation), expiring no later than
   * the login's max age.
   */
  sign(
    userId: string,
    login: { generation: number } | Pick<TokenClaims, "sid" | "authTime" | "generation">,
  ): Promise<{ token: string; claims: TokenClaims }>;
  /** Returns the claims of a valid, unexpired token; throws otherwise. */
  verify(token: string): Promise<TokenClaims>;
}

/** Encrypts content at rest; `context` (the message id) is bound to the ciphertext. */
export interface ContentCipher {
  encrypt(text: string, context: string): Promise<string>;
  decrypt(stored: string, context: string): Promise<string>;
}

/** Counts actions per key in a sliding window. */
export interface RateLimiter {
  /**
   * Counts one action under `key`; refused when `limit` actions were already
   * counted in the last `windowMs`, with how long until one expires.
   */
  take(
    key: string,
    limit: number,
    windowMs: number,
  ): Promise<{ ok: boolean; retryAfterMs: number }>;
  /** Uncounts the latest action counted under `key` (one that turned out to be a repeat). */
  give(key: string): Promise<void>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/** Structured log sink; fields become JSON keys. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** The counters of `Metrics`. */
export type CounterName =
  | "sent"
  | "delivered"
  | "read"
  | "reconnects"
  | "rateLimited"
  | "reports"
  | "searches"
  | "uploads"
  | "expired"
  | "eventsSent"
  | "eventsDropped"
  | "pushSent"
  | "pushDropped";

/** The counters and histograms the core reports. */
export interface Metrics {
  /** Adds to a counter. */
  count(name: CounterName, n?: number): void;
  /** Seconds from creation to a device's ack: `live`, or `backlog` (the time the user was away). */
  observeDeliveryLatency(seconds: number, path: "live" | "backlog"): void;
}
