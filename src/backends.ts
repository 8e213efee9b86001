/**
 * Opens the adapters the config asks for: MongoDB or the Deno KV file for the
 * store, Redis or memory for presence and fan-out, RabbitMQ or the store's pending
 * index for the offline queue; push, the app's events and its identity provider when set.
 * @module
 */
import { join } from "node:path";
import type { Redis } from "ioredis";
import { openKvStore } from "./adapters/kv/mod.ts";
import { MemoryPresence, MemoryRateLimiter, PendingIndexQueue } from "./adapters/memory/mod.ts";
import { openMongoStore } from "./adapters/mongo/mod.ts";
import { encryptedStore, Keyring } from "./adapters/crypto/mod.ts";
import { RabbitOfflineQueue } from "./adapters/rabbitmq/mod.ts";
import { WebhookEventSender, WebhookPushSender } from "./adapters/webhook/mod.ts";
import type { AppEvent } from "./protocol/mod.ts";
import { createExternalTokenVerifier } from "./adapters/jwt/mod.ts";
import {
  closeRedis,
  connectRedis,
  createRedisSocketAdapter,
  RedisPresence,
  RedisRateLimiter,
  type RedisSocketAdapter,
} from "./adapters/redis/mod.ts";
import type { Config } from "./config.ts";
import { openJobFile, openJobQueue } from "./_job_queues.ts";
import type {
  CoreDeps,
  Logger,
  OfflineQueue,
  Presence,
  PushJob,
  RateLimiter,
  Store,
} from "./core/mod.ts";

/** The open adapters and what to call them in logs and health. */
export interface Backends {
  store: Store;
  presence: Presence;
  queue: OfflineQueue;
  /** Shared by every node when Redis is there. */
  limiter: RateLimiter;
  /** Set when Redis links the nodes. */
  socketAdapter?: RedisSocketAdapter;
  /** Set when PUSH_WEBHOOK_URL is; the core's push service closes its queue. */
  push?: CoreDeps["push"];
  /** Set when EVENTS_WEBHOOK_URL is; the core's event service closes its queue. */
  events?: CoreDeps["events"];
  /** Set when logins through the app's identity provider are configured. */
  externalTokens?: CoreDeps["externalTokens"];
  names: { store: string; presence: string; queue: string };
  close(): Promise<void>;
}

/** Callbacks from the backends to the rest of the server. */
export interface BackendHooks {
  /** Redis pub/sub came back: rings sent meanwhile were lost. */
  onResubscribed: () => void;
  /** A publisher confirm of the offline queue: true for an ack, false for a nack. */
  onQueueConfirm?: (acked: boolean) => void;
}

/** The embedded store's file in DATA_DIR (the doctor checks the same file). */
export function kvFile(config: Pick<Config, "dataDir">): string {
  return join(config.dataDir, "chat.kv");
}

/** Opens every configured backend; Redis and RabbitMQ may start degraded and recover. */
export async function openBackends(
  config: Config,
  logger: Logger,
  hooks: BackendHooks,
): Promise<Backends> {
  const kv = config.mongodbUrl ? undefined : await openKvStore({ path: kvFile(config) });
  const opened = kv ??
    await openMongoStore({ url: config.mongodbUrl!, database: config.mongodbDb });
  // Message content is encrypted before it reaches any store or queue, decrypted on the way out.
  const cipher = await Keyring.create(config.messageKeys);
  const store: Store = encryptedStore(opened, cipher);

  let redis: Redis | undefined;
  let presence: Presence = new MemoryPresence();
  let limiter: RateLimiter = new MemoryRateLimiter();
  let socketAdapter: RedisSocketAdapter | undefined;
  if (config.redisUrl) {
    redis = await connectRedis({ url: config.redisUrl, name: `${config.keyPrefix}chat` });
    if (redis.status !== "ready") {
      logger.warn("redis unreachable at start; degraded until it answers", {
        dependency: "presence",
      });
    }
    presence = new RedisPresence({
      client: redis,
      keyPrefix: config.keyPrefix,
      ttlMs: config.presenceTtlMs,
      heartbeatMs: config.presenceHeartbeatMs,
      onError: (error) => logger.warn("presence heartbeat failed", { error: String(error) }),
    });
    limiter = new RedisRateLimiter({ client: redis, keyPrefix: config.keyPrefix });
    socketAdapter = createRedisSocketAdapter({
      client: redis,
      keyPrefix: config.keyPrefix,
      onResubscribed: () => {
        logger.info("redis pub/sub resubscribed; waking every session", { dependency: "presence" });
        hooks.onResubscribed();
      },
    });
  }

  let queue: OfflineQueue = new PendingIndexQueue(store.messages);
  if (config.amqpUrl) {
    const rabbit = new RabbitOfflineQueue({
      url: config.amqpUrl,
      queuePrefix: config.keyPrefix,
      messageTtlMs: config.offlineTtlMs,
      maxLength: config.offlineMaxLength,
      prefetch: config.offlinePrefetch,
      store: store.messages,
      cipher,
      onConfirm: hooks.onQueueConfirm,
      onError: (error) =>
        logger.warn("offline queue degraded; the store's pending index covers it", {
          error: String(error),
        }),
    });
    if (!await rabbit.open()) {
      logger.warn("rabbitmq unreachable at start; degraded until it answers", {
        dependency: "queue",
      });
    }
    queue = rabbit;
  }

  const file = await openJobFile(config, kv);
  const jobQueue = <T>(name: string) => openJobQueue<T>(name, { config, file, logger });
  const secret = config.webhookSecret;
  const push: CoreDeps["push"] = config.pushWebhookUrl
    ? {
      queue: await jobQueue<PushJob>("push.jobs"),
      sender: new WebhookPushSender({
        url: config.pushWebhookUrl,
        timeoutMs: config.pushTimeoutMs,
        secret,
      }),
      options: { maxAttempts: config.pushMaxAttempts, retryBaseMs: config.pushRetryBaseMs },
    }
    : undefined;
  const hook = config.eventsWebhook;
  const events: CoreDeps["events"] = hook && {
    queue: await jobQueue<AppEvent>("app.events"),
    sender: new WebhookEventSender({ url: hook.url, timeoutMs: hook.timeoutMs, secret }),
    options: { maxAttempts: hook.maxAttempts, retryBaseMs: hook.retryBaseMs },
  };

  return {
    store,
    presence,
    queue,
    limiter,
    socketAdapter,
    push,
    events,
    externalTokens: config.externalAuth && createExternalTokenVerifier(config.externalAuth),
    names: {
      store: config.mongodbUrl ? "mongodb" : "kv",
      presence: config.redisUrl ? "redis" : "memory",
      queue: config.amqpUrl ? "rabbitmq" : "pending-index",
    },
    async close() {
      await queue.close();
      await limiter.close();
      await presence.close();
      await socketAdapter?.close();
      if (redis) await closeRedis(redis);
      if (file !== kv) await file?.close(); // the jobs' own file (MongoDB); their queues are closed
      await store.close();
    },
  };
}
