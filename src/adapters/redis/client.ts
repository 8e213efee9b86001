/**
 * Redis connections for presence and the Socket.IO adapter.
 * @module
 */
import { Redis } from "ioredis";

/** Options of a Redis connection. */
export interface RedisClientOptions {
  url: string;
  /** Milliseconds to wait for the first connection before going on degraded. */
  connectTimeoutMs?: number;
}

/**
 * Opens a connection that fails commands at once while Redis is down (no offline
 * queue), so a send never waits on presence; ioredis reconnects by itself.
 */
export async function connectRedis(options: RedisClientOptions): Promise<Redis> {
  const client = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // Back off up to 2 s between attempts, forever: Redis coming back is the normal case.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  client.on("error", () => {/* reported through health and the callers' errors */});
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    client.connect().catch(() => {}),
    new Promise((resolve) => (timer = setTimeout(resolve, options.connectTimeoutMs ?? 5000))),
  ]);
  clearTimeout(timer);
  return client;
}
