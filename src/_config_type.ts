/**
 * The configuration the environment becomes (`config.ts` reads it with the
 * schema of `_config_schema.ts`): what each setting means to the server.
 * @module
 */

/** The validated configuration. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  env: "development" | "production" | "test";
  logLevel: "debug" | "info" | "warn" | "error";
  jwtSecret: string;
  /** True when the secret was generated and kept in `DATA_DIR` (worth a warning). */
  jwtSecretGenerated: boolean;
  /** Logins through the app's identity provider (`POST /api/auth/external`), when set. */
  externalAuth?: ExternalAuthConfig;
  /** Whether anyone may register with a password, or only the provider makes accounts. */
  passwordSignup: "open" | "closed";
  /** The operators' token for `/api/admin/*` (reports); those routes are off without it. */
  adminToken?: string;
  /** The app's backend's token for `/api/app/*` (its users' accounts, acting as them). */
  appBackendToken?: string;
  /** Keys for message content at rest: which id encrypts, and every key by id. */
  messageKeys: { currentId: string; keys: Record<string, string> };
  /** True when the message key was generated and kept in `DATA_DIR`. */
  messageKeyGenerated: boolean;
  tokenTtlSeconds: number;
  /** How long a login lasts at most, refreshes included. */
  sessionMaxAgeSeconds: number;
  maxMessageChars: number;
  maxGroupSize: number;
  maxBodyBytes: number;
  /** The largest file upload, in bytes. */
  maxFileBytes: number;
  maxEventBytes: number;
  ackTimeoutMs: number;
  /** On SIGTERM, how long requests in progress may take before the process stops anyway. */
  shutdownGraceMs: number;
  /** How long a file upload or download may move no bytes before it is cut off. */
  fileIdleMs: number;
  /** How long an HTTP connection may move no bytes, and a request's headers may take. */
  httpIdleMs: number;
  deliveryWindow: number;
  corsOrigin: string;
  /** Who may start a direct chat: friends and chat partners only, or anyone. */
  directChatPolicy: "contacts" | "open";
  /** Who may be put in a group: the adder's friends and chat partners only, or anyone. */
  groupAddPolicy: "contacts" | "open";
  /** A typing indicator ends by itself this long after the last `chat:typing`. */
  typingTtlMs: number;
  /** Where push notifications are POSTed; none are sent when unset. */
  pushWebhookUrl?: string;
  pushMaxAttempts: number;
  pushRetryBaseMs: number;
  pushTimeoutMs: number;
  /** Signs the POSTs of push and events (Standard Webhooks), when set. */
  webhookSecret?: string;
  /** Where the app's events are POSTed, and how; none are sent when unset. */
  eventsWebhook?: { url: string; maxAttempts: number; retryBaseMs: number; timeoutMs: number };
  /** Messages per user per window (the seed: 50 a minute). */
  rateLimitMessages: number;
  rateLimitWindowMs: number;
  /** Login attempts per account, and per client address, per window. */
  loginLimitPerAccount: number;
  loginLimitPerAddress: number;
  loginLimitWindowMs: number;
  /** Accounts registered per client address per window: each costs a 16 MiB password hash. */
  signupLimit: number;
  signupWindowMs: number;
  /** How many proxies in front append to X-Forwarded-For (0: the peer is the client). */
  trustedProxies: number;
  /** Reports a user may file per window. */
  reportLimit: number;
  reportWindowMs: number;
  /** Searches a user may run per window. */
  searchLimit: number;
  searchWindowMs: number;
  /** Copies of their data a user may take per window. */
  exportLimit: number;
  exportWindowMs: number;
  uploadLimit: number;
  uploadWindowMs: number;
  /** Authenticated REST requests per user per window. */
  apiRequestLimit: number;
  apiRequestWindowMs: number;
  /** Client events per socket per window, `message:send` aside (it has its own limit). */
  socketEventLimit: number;
  socketEventWindowMs: number;
  /** Sockets one user may hold on one node at once: every tab and phone is one; 100 is plenty. */
  maxSocketsPerUser: number;
  /** Redis for presence and cross-node fan-out; in-memory presence when unset. */
  redisUrl?: string;
  /** RabbitMQ for the offline queue; the store's pending index alone when unset. */
  amqpUrl?: string;
  /** MongoDB for the store; the Deno KV file when unset. */
  mongodbUrl?: string;
  mongodbDb: string;
  presenceTtlMs: number;
  /** How long a user's last device must stay gone before `user:offline` (a reload is back sooner). */
  presenceGraceMs: number;
  presenceHeartbeatMs: number;
  offlineTtlMs: number;
  offlineMaxLength: number;
  offlinePrefetch: number;
  /** Prefix of every Redis key and RabbitMQ queue name, so deployments can share servers. */
  keyPrefix: string;
}

/** The app's identity provider: whose tokens count, checked with a secret or its keys. */
export interface ExternalAuthConfig {
  /** The `iss` of its tokens. */
  issuer: string;
  /** The `aud` its tokens must name, when set. */
  audience?: string;
  /** The secret the app's backend signs with (HS256); else `jwksUrl`. */
  secret?: string;
  /** Where the provider publishes its public keys; else `secret`. */
  jwksUrl?: string;
}
