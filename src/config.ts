/**
 * Configuration: the one place that reads the environment. Every variable is
 * parsed with zod at startup; a bad value stops the process with a message that
 * names the variable.
 * @module
 */
import { ConfigError, schema } from "./_config_schema.ts";
import type { Config } from "./_config_type.ts";
import { appBackendTokenOf, externalAuthOf, webhooksOf } from "./_config_app.ts";
import { kept, KEPT_SECRETS } from "./_kept_secrets.ts";

export type { Config };
export { ConfigError, KEPT_SECRETS };

/**
 * The port `healthcheck` probes: PORT as the server reads it, without the rest
 * of the configuration (which may need secrets the probe has no use for). An
 * invalid PORT gives 0, where nothing listens: the server did not start either.
 */
export function configuredPort(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): number {
  const parsed = schema.shape.PORT.safeParse(env.PORT || undefined);
  return parsed.success ? parsed.data : 0;
}

/** Where the store is, as `backup` needs it. */
export interface StoreLocation {
  dataDir: string;
  mongodbUrl?: string;
  /** Whether MESSAGE_KEY is set (else the key is a file in DATA_DIR). */
  messageKeySet: boolean;
}

/**
 * DATA_DIR and MONGODB_URL as the server reads them, for `backup`: without the
 * rest of the configuration, and without generating the secrets a server keeps
 * in DATA_DIR, which a backup must copy and never create.
 */
export function storeLocation(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): StoreLocation {
  const present = (name: string) => env[name] || undefined;
  const dataDir = schema.shape.DATA_DIR.safeParse(present("DATA_DIR"));
  const mongodbUrl = schema.shape.MONGODB_URL.safeParse(present("MONGODB_URL"));
  if (!dataDir.success) {
    throw new ConfigError(`Invalid DATA_DIR: ${dataDir.error.issues[0].message}`);
  }
  if (!mongodbUrl.success) {
    throw new ConfigError(`Invalid MONGODB_URL: ${mongodbUrl.error.issues[0].message}`);
  }
  return {
    dataDir: dataDir.data,
    mongodbUrl: mongodbUrl.data,
    messageKeySet: present("MESSAGE_KEY") !== undefined,
  };
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
    jwtSecret: v.JWT_SECRET ?? await kept(v.DATA_DIR, KEPT_SECRETS.jwtSecret, 48),
    jwtSecretGenerated: generated,
    externalAuth: externalAuthOf(v),
    passwordSignup: v.PASSWORD_SIGNUP,
    adminToken: v.ADMIN_TOKEN,
    appBackendToken: appBackendTokenOf(v),
    messageKeys: {
      currentId: v.MESSAGE_KEY_ID,
      keys: {
        ...oldKeys,
        [v.MESSAGE_KEY_ID]: v.MESSAGE_KEY ?? await kept(v.DATA_DIR, KEPT_SECRETS.messageKey, 32),
      },
    },
    messageKeyGenerated: !v.MESSAGE_KEY,
    tokenTtlSeconds: v.TOKEN_TTL_SECONDS,
    sessionMaxAgeSeconds: v.SESSION_MAX_AGE_SECONDS,
    maxMessageChars: v.MAX_MESSAGE_CHARS,
    maxGroupSize: v.MAX_GROUP_SIZE,
    maxBodyBytes: v.MAX_BODY_BYTES,
    maxFileBytes: v.MAX_FILE_BYTES,
    maxEventBytes: v.MAX_EVENT_BYTES,
    ackTimeoutMs: v.ACK_TIMEOUT_MS,
    shutdownGraceMs: v.SHUTDOWN_GRACE_MS,
    fileIdleMs: v.FILE_IDLE_MS,
    httpIdleMs: v.HTTP_IDLE_MS,
    deliveryWindow: v.DELIVERY_WINDOW,
    corsOrigin: v.CORS_ORIGIN,
    directChatPolicy: v.DIRECT_CHAT_POLICY,
    groupAddPolicy: v.GROUP_ADD_POLICY,
    typingTtlMs: v.TYPING_TTL_MS,
    pushWebhookUrl: v.PUSH_WEBHOOK_URL,
    pushMaxAttempts: v.PUSH_MAX_ATTEMPTS,
    pushRetryBaseMs: v.PUSH_RETRY_BASE_MS,
    pushTimeoutMs: v.PUSH_TIMEOUT_MS,
    ...webhooksOf(v),
    rateLimitMessages: v.RATE_LIMIT_MESSAGES,
    rateLimitWindowMs: v.RATE_LIMIT_WINDOW_MS,
    loginLimitPerAccount: v.LOGIN_LIMIT_PER_ACCOUNT,
    loginLimitPerAddress: v.LOGIN_LIMIT_PER_ADDRESS,
    loginLimitWindowMs: v.LOGIN_LIMIT_WINDOW_MS,
    signupLimit: v.SIGNUP_LIMIT,
    signupWindowMs: v.SIGNUP_WINDOW_MS,
    trustedProxies: v.TRUSTED_PROXIES,
    reportLimit: v.REPORT_LIMIT,
    reportWindowMs: v.REPORT_WINDOW_MS,
    searchLimit: v.SEARCH_LIMIT,
    searchWindowMs: v.SEARCH_WINDOW_MS,
    exportLimit: v.EXPORT_LIMIT,
    exportWindowMs: v.EXPORT_WINDOW_MS,
    uploadLimit: v.UPLOAD_LIMIT,
    uploadWindowMs: v.UPLOAD_WINDOW_MS,
    apiRequestLimit: v.API_REQUEST_LIMIT,
    apiRequestWindowMs: v.API_REQUEST_WINDOW_MS,
    socketEventLimit: v.SOCKET_EVENT_LIMIT,
    socketEventWindowMs: v.SOCKET_EVENT_WINDOW_MS,
    maxSocketsPerUser: v.MAX_SOCKETS_PER_USER,
    redisUrl: v.REDIS_URL,
    amqpUrl: v.AMQP_URL,
    mongodbUrl: v.MONGODB_URL,
    mongodbDb: v.MONGODB_DB,
    presenceTtlMs: v.PRESENCE_TTL_MS,
    presenceGraceMs: v.PRESENCE_GRACE_MS,
    presenceHeartbeatMs: v.PRESENCE_HEARTBEAT_MS,
    offlineTtlMs: v.OFFLINE_TTL_MS,
    offlineMaxLength: v.OFFLINE_MAX_LENGTH,
    offlinePrefetch: v.OFFLINE_PREFETCH,
    keyPrefix: v.KEY_PREFIX,
  };
}
