/**
 * The environment variables the server reads, as a zod schema: names, types,
 * bounds and defaults; and the error a bad one gives. `config.ts` parses the
 * environment with them into a `Config` (`_config_type.ts`).
 * @module
 */
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

/** A configuration value that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  /** Creates a configuration error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConfigError";
  }
}

/** Every variable, parsed from strings; an unset or empty one takes its default. */
export const schema = z.object({
  PORT: int(0, 65535, 3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  DENO_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  // Logins through the app's own identity provider (core/external_auth.ts).
  EXTERNAL_AUTH_ISSUER: z.string().min(1).optional(),
  EXTERNAL_AUTH_AUDIENCE: z.string().min(1).optional(),
  EXTERNAL_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  EXTERNAL_AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  PASSWORD_SIGNUP: z.enum(["open", "closed"]).default("open"),
  ADMIN_TOKEN: z.string().regex(/^\S{32,}$/, "must be at least 32 characters, no spaces")
    .optional(),
  APP_BACKEND_TOKEN: z.string().regex(/^\S{32,}$/, "must be at least 32 characters, no spaces")
    .optional(),
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
  // A login's absolute lifetime, however often it is refreshed. The minimum is low for tests.
  SESSION_MAX_AGE_SECONDS: int(1, 10 * 365 * 24 * 3600, 90 * 24 * 3600),
  MAX_MESSAGE_CHARS: int(1, 65_536, 4096),
  MAX_GROUP_SIZE: int(2, 300, 100),
  MAX_BODY_BYTES: int(1024, 16 * 1024 * 1024, 256 * 1024),
  // A MongoDB document holds 16 MB: a file and its record stay under it.
  MAX_FILE_BYTES: int(1, 15 * 1024 * 1024, 10 * 1024 * 1024),
  MAX_EVENT_BYTES: int(1024, 16 * 1024 * 1024, 256 * 1024),
  ACK_TIMEOUT_MS: int(100, 300_000, 10_000),
  SHUTDOWN_GRACE_MS: int(0, 600_000, 5_000),
  FILE_IDLE_MS: int(100, 3_600_000, 60_000),
  // Above a load balancer's own idle timeout (AWS's is 60 s): one that reuses a
  // connection the server has just closed answers its client 502.
  HTTP_IDLE_MS: int(1_000, 3_600_000, 75_000),
  DELIVERY_WINDOW: int(1, 10_000, 256),
  CORS_ORIGIN: z.string().min(1).default("*"),
  DIRECT_CHAT_POLICY: z.enum(["contacts", "open"]).default("contacts"),
  GROUP_ADD_POLICY: z.enum(["contacts", "open"]).default("open"),
  TYPING_TTL_MS: int(500, 60_000, 5_000),
  PUSH_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  PUSH_MAX_ATTEMPTS: int(1, 20, 5),
  PUSH_RETRY_BASE_MS: int(10, 600_000, 500),
  PUSH_TIMEOUT_MS: int(100, 60_000, 5_000),
  // Standard Webhooks' secret format; its base64 key is 24 to 64 bytes (_config_app.ts checks).
  WEBHOOK_SECRET: z.string().regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, "must be whsec_ and base64")
    .optional(),
  EVENTS_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  // 12 attempts from 1 s span about half an hour: a receiver's deploy or restart loses nothing.
  EVENTS_MAX_ATTEMPTS: int(1, 30, 12),
  EVENTS_RETRY_BASE_MS: int(10, 600_000, 1_000),
  EVENTS_TIMEOUT_MS: int(100, 60_000, 10_000),
  RATE_LIMIT_MESSAGES: int(1, 1_000_000, 50),
  RATE_LIMIT_WINDOW_MS: int(1000, 3_600_000, 60_000),
  LOGIN_LIMIT_PER_ACCOUNT: int(1, 1_000_000, 10),
  LOGIN_LIMIT_PER_ADDRESS: int(1, 1_000_000, 100),
  LOGIN_LIMIT_WINDOW_MS: int(1000, 24 * 3_600_000, 15 * 60_000),
  SIGNUP_LIMIT: int(1, 1_000_000, 20),
  SIGNUP_WINDOW_MS: int(1000, 7 * 24 * 3_600_000, 3_600_000),
  // Proxies in front that append the client's address to X-Forwarded-For: without them
  // the header is the client's own to forge, and is ignored.
  TRUSTED_PROXIES: int(0, 10, 0),
  REPORT_LIMIT: int(1, 1_000_000, 20),
  REPORT_WINDOW_MS: int(1000, 7 * 24 * 3_600_000, 24 * 3_600_000),
  SEARCH_LIMIT: int(1, 1_000_000, 30),
  SEARCH_WINDOW_MS: int(1000, 3_600_000, 60_000),
  EXPORT_LIMIT: int(1, 1_000_000, 3),
  EXPORT_WINDOW_MS: int(1000, 7 * 24 * 3_600_000, 3_600_000),
  UPLOAD_LIMIT: int(1, 1_000_000, 100),
  UPLOAD_WINDOW_MS: int(1000, 7 * 24 * 3_600_000, 3_600_000),
  API_REQUEST_LIMIT: int(1, 1_000_000, 600),
  API_REQUEST_WINDOW_MS: int(1000, 3_600_000, 60_000),
  SOCKET_EVENT_LIMIT: int(1, 1_000_000, 200),
  SOCKET_EVENT_WINDOW_MS: int(1000, 3_600_000, 10_000),
  MAX_SOCKETS_PER_USER: int(1, 1_000_000, 100),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  AMQP_URL: z.url({ protocol: /^amqps?$/ }).optional(),
  MONGODB_URL: z.url({ protocol: /^mongodb(\+srv)?$/ }).optional(),
  MONGODB_DB: z.string().min(1).default("chat"),
  PRESENCE_TTL_MS: int(2_000, 3_600_000, 30_000),
  PRESENCE_HEARTBEAT_MS: int(500, 600_000, 10_000),
  PRESENCE_GRACE_MS: int(0, 600_000, 5_000),
  OFFLINE_TTL_MS: int(1_000, 30 * 24 * 3_600_000, 24 * 3_600_000),
  OFFLINE_MAX_LENGTH: int(1, 10_000_000, 100_000),
  OFFLINE_PREFETCH: int(1, 65_535, 256),
  KEY_PREFIX: z.string().regex(/^[A-Za-z0-9_.:-]*$/).default("chat:"),
});
