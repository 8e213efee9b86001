/**
 * What `createCore` is built with: the adapters and the limits and tuning.
 * @module
 */
import type { AppEvent } from "../protocol/mod.ts";
import type { ExternalTokenVerifier } from "./external_auth.ts";
import type { LimitOptions } from "./limits.ts";
import type {
  JobQueue,
  JobSender,
  Logger,
  Metrics,
  Notifier,
  OfflineQueue,
  Presence,
  PushJob,
  RateLimiter,
  Store,
  TokenSigner,
} from "./ports.ts";
import type { RetryOptions } from "./_retrying_worker.ts";

/** A queue of jobs, what sends them, and how often it tries. */
export interface JobWorker<T> {
  queue: JobQueue<T>;
  sender: JobSender<T>;
  options: RetryOptions;
}

/** The adapters the core runs on. */
export interface CoreDeps {
  store: Store;
  presence: Presence;
  queue: OfflineQueue;
  notifier: Notifier;
  tokens: TokenSigner;
  limiter: RateLimiter;
  logger: Logger;
  metrics: Metrics;
  /** Push notifications, when configured. */
  push?: JobWorker<PushJob>;
  /** The app's events webhook, when configured. */
  events?: JobWorker<AppEvent>;
  /** The app's identity provider's tokens, when logins through it are configured. */
  externalTokens?: ExternalTokenVerifier;
}

/** Limits and tuning of the core. */
export interface CoreOptions {
  maxMessageChars: number;
  maxGroupSize: number;
  /** Who may start a direct chat with whom. */
  directChatPolicy: "contacts" | "open";
  /** Who may be put in a group: the adder's contacts only, or anyone. */
  groupAddPolicy: "contacts" | "open";
  /** Whether anyone may register with a password (default), or nobody may. */
  passwordSignup?: "open" | "closed";
  /** Messages in flight per device awaiting ack. */
  deliveryWindow: number;
  /** Backlog entries read per store round trip. */
  backlogPageSize: number;
  /** Rate limits. */
  limits: LimitOptions;
  /** The largest file a message may carry, in bytes. */
  maxFileBytes: number;
  /** How long a user's last device must stay gone before contacts hear of it. */
  presenceGraceMs?: number;
}
