/**
 * Configuration: the one place that reads the environment. Every variable is
 * parsed with zod at startup; a bad value stops the process with a message that
 * names the variable.
 * @module
 */
import { join } from "node:path";
import { z } from "zod";

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

function is32Bytes(value: string): boolean {
  try {
    return atob(value).length === 32;
  } catch {
    return false;
  }
}

const schema = z.object({
  PORT: int(0, 65535, 3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  DENO_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  MESSAGE_KEY: z.string().refine(is32Bytes, "must be base64 of 32 random bytes").optional(),
  MESSAGE_KEY_ID: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).default("k1"),
  MESSAGE_OLD_KEYS: z.string().refine(
    (v) =>
      v.split(",").every((pair) =>
        /^[A-Za-z0-9_-]{1,32}:/.test(pair) && is32Bytes(pair.slice(pair.indexOf(":") + 1))
      ),
    "must be id:base64 pairs separated by commas, each key 32 bytes",
  ).optional(),
  TOKEN_TTL_SECONDS: int(60, 365 * 24 * 3600, 7 * 24 * 3600),
  MAX_MESSAGE_CHARS: int(1, 65_536, 4096),
  MAX_GROUP_SIZE: int(2, 300, 100),
  MAX_BODY_BYTES: int(1024, 16 * 1024 * 1024, 256 * 1024),
  MAX_EVENT_BYTES: int(1024, 16 * 1024 * 1024, 256 * 1024),
  ACK_TIMEOUT_MS: int(100, 300_000, 10_000),
  DELIVERY_WINDOW: int(1, 10_000, 256),
  CORS_ORIGIN: z.string().min(1).default("*"),
  DIRECT_CHAT_POLICY: z.enum(["contacts", "open"]).default("contacts"),
  TYPING_TTL_MS: int(500, 60_000, 5_000),
  PUSH_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  PUSH_MAX_ATTEMPTS: int(1, 20, 5),
  PUSH_RETRY_BASE_MS: int(10, 600_000, 500),
  PUSH_TIMEOUT_MS: int(100, 60_000, 5_000),
  RATE_LIMIT_MESSAGES: int(1, 1_000_000, 50),
  RATE_LIMIT_WINDOW_MS: int(1000, 3_600_000, 60_000),
  LOGIN_LIMIT_PER_ACCOUNT: int(1, 1_000_000, 10),
  LOGIN_LIMIT_PER_ADDRESS: int(1, 1_000_000, 100),
  LOGIN_LIMIT_WINDOW_MS: int(1000, 24 * 3_600_000, 15 * 60_000),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  AMQP_URL: z.url({ protocol: /^amqps?$/ }).optional(),
  MONGODB_URL: z.url({ protocol: /^mongodb(\+srv)?$/ }).optional(),
  MONGODB_DB: z.string().min(1).default("chat"),
  PRESENCE_TTL_MS: int(2_000, 3_600_000, 30_000),
  PRESENCE_HEARTBEAT_MS: int(500, 600_000, 10_000),
  OFFLINE_TTL_MS: int(1_000, 30 * 24 * 3_600_000, 24 * 3_600_000),
  OFFLINE_MAX_LENGTH: int(1, 10_000_000, 100_000),
  OFFLINE_PREFETCH: int(1, 65_535, 256),
  KEY_PREFIX: z.string().regex(/^[A-Za-z0-9_.:-]*$/).default("chat:"),
});

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
  /** Keys for message content at rest: which id encrypts, and every key by id. */
  messageKeys: { currentId: string; keys: Record<string, string> };
  /** True when the message key was generated and kept in `DATA_DIR`. */
  messageKeyGenerated: boolean;
  tokenTtlSeconds: number;
  maxMessageChars: number;
  maxGroupSize: number;
  maxBodyBytes: number;
  maxEventBytes: number;
  ackTimeoutMs: number;
  deliveryWindow: number;
  corsOrigin: string;
  /** Who may start a direct chat: friends and chat partners only, or anyone. */
  directChatPolicy: "contacts" | "open";
  /** A typing indicator ends by itself this long after the last `chat:typing`. */
  typingTtlMs: number;
  /** Where push notifications are POSTed; none are sent when unset. */
  pushWebhookUrl?: string;
  pushMaxAttempts: number;
  pushRetryBaseMs: number;
  pushTimeoutMs: number;
  /** Messages per user per window (the seed: 50 a minute). */
  rateLimitMessages: number;
  rateLimitWindowMs: number;
  /** Login attempts per account, and per client address, per window. */
  loginLimitPerAccount: number;
  loginLimitPerAddress: number;
  loginLimitWindowMs: number;
  /** Redis for presence and cross-node fan-out; in-memory presence when unset. */
  redisUrl?: string;
  /** RabbitMQ for the offline queue; the store's pending index alone when unset. */
  amqpUrl?: string;
  /** MongoDB for the store; the Deno KV file when unset. */
  mongodbUrl?: string;
  mongodbDb: string;
  presenceTtlMs: number;
  presenceHeartbeatMs: number;
  offlineTtlMs: number;
  offlineMaxLength: number;
  offlinePrefetch: number;
  /** Prefix of every Redis key and RabbitMQ queue name, so deployments can share servers. */
  keyPrefix: string;
}

/** A configuration value that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  /** Creates a configuration error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConfigError";
  }
}

/** Reads and checks the environment; generates and keeps a JWT secret when none is set. */
export async function loadConfig(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): Promise<Config> {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid ${String(issue.path[0])}: ${issue.message}`);
  }
  const v = parsed.data;
  if (v.PRESENCE_HEARTBEAT_MS * 2 > v.PRESENCE_TTL_MS) {
    throw new ConfigError("Invalid PRESENCE_HEARTBEAT_MS: must be at most half of PRESENCE_TTL_MS");
  }
  if (!v.JWT_SECRET && v.DENO_ENV === "production") {
    throw new ConfigError("Invalid JWT_SECRET: required when DENO_ENV=production");
  }
  if (!v.MESSAGE_KEY && v.DENO_ENV === "production") {
    throw new ConfigError("Invalid MESSAGE_KEY: required when DENO_ENV=production");
  }
  const oldKeys = Object.fromEntries(
    (v.MESSAGE_OLD_KEYS ?? "").split(",").filter(Boolean).map((pair) => {
      const at = pair.indexOf(":");
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
  const generated = !v.JWT_SECRET;
  return {
    port: v.PORT,
    host: v.HOST,
    dataDir: v.DATA_DIR,
    env: v.DENO_ENV,
    logLevel: v.LOG_LEVEL,
    jwtSecret: v.JWT_SECRET ?? await kept(v.DATA_DIR, "jwt_secret", 48),
    jwtSecretGenerated: generated,
    messageKeys: {
      currentId: v.MESSAGE_KEY_ID,
      keys: {
        ...oldKeys,
        [v.MESSAGE_KEY_ID]: v.MESSAGE_KEY ?? await kept(v.DATA_DIR, "message_key", 32),
      },
    },
    messageKeyGenerated: !v.MESSAGE_KEY,
    tokenTtlSeconds: v.TOKEN_TTL_SECONDS,
    maxMessageChars: v.MAX_MESSAGE_CHARS,
    maxGroupSize: v.MAX_GROUP_SIZE,
    maxBodyBytes: v.MAX_BODY_BYTES,
    maxEventBytes: v.MAX_EVENT_BYTES,
    ackTimeoutMs: v.ACK_TIMEOUT_MS,
    deliveryWindow: v.DELIVERY_WINDOW,
    corsOrigin: v.CORS_ORIGIN,
    directChatPolicy: v.DIRECT_CHAT_POLICY,
    typingTtlMs: v.TYPING_TTL_MS,
    pushWebhookUrl: v.PUSH_WEBHOOK_URL,
    pushMaxAttempts: v.PUSH_MAX_ATTEMPTS,
    pushRetryBaseMs: v.PUSH_RETRY_BASE_MS,
    pushTimeoutMs: v.PUSH_TIMEOUT_MS,
    rateLimitMessages: v.RATE_LIMIT_MESSAGES,
    rateLimitWindowMs: v.RATE_LIMIT_WINDOW_MS,
    loginLimitPerAccount: v.LOGIN_LIMIT_PER_ACCOUNT,
    loginLimitPerAddress: v.LOGIN_LIMIT_PER_ADDRESS,
    loginLimitWindowMs: v.LOGIN_LIMIT_WINDOW_MS,
    redisUrl: v.REDIS_URL,
    amqpUrl: v.AMQP_URL,
    mongodbUrl: v.MONGODB_URL,
    mongodbDb: v.MONGODB_DB,
    presenceTtlMs: v.PRESENCE_TTL_MS,
    presenceHeartbeatMs: v.PRESENCE_HEARTBEAT_MS,
    offlineTtlMs: v.OFFLINE_TTL_MS,
    offlineMaxLength: v.OFFLINE_MAX_LENGTH,
    offlinePrefetch: v.OFFLINE_PREFETCH,
    keyPrefix: v.KEY_PREFIX,
  };
}

// Generated once and kept, so tokens and stored messages survive restarts of an
// embedded server.
async function kept(dataDir: string, name: string, bytes: number): Promise<string> {
  const path = join(dataDir, name);
  try {
    return (await Deno.readTextFile(path)).trim();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new ConfigError(`Invalid DATA_DIR: cannot read ${path}`, { cause: error });
    }
  }
  await Deno.mkdir(dataDir, { recursive: true });
  const secret = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes))));
  try {
    // createNew: two processes starting at once agree on the first secret written.
    await Deno.writeTextFile(path, secret, { createNew: true, mode: 0o600 });
    return secret;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return (await Deno.readTextFile(path)).trim();
    throw new ConfigError(`Invalid DATA_DIR: cannot write ${path}`, { cause: error });
  }
}
