/**
 * Redis connections for presence and the Socket.IO adapter.
 * @module
 */
import { Redis } from "ioredis";

// How long ioredis lets a closing socket linger before destroying it.
const DISCONNECT_TIMEOUT_MS = 100;

/** Options of a Redis connection. */
export interface RedisClientOptions {
  url: string;
  /** Client name shown by CLIENT LIST, so operators can tell deployments apart. */
  name?: string;
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
    connectionName: options.name,
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
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

/** A Lua script bound to a client: call it with its keys, then its arguments. */
export type LuaScript = (...keysThenArgs: (string | number)[]) => Promise<unknown>;

/**
 * Binds a Lua script to a client under `name`. Calls go out as EVALSHA with the
 * script's SHA1, and ioredis sends the script itself only when Redis answers
 * NOSCRIPT: an EVAL would send the whole text on every call, which on the send
 * path (the rate limiter) was a tenth of the server's busy time with Redis.
 */
export function luaScript(
  client: Redis,
  name: string,
  options: { keys: number; lua: string },
): LuaScript {
  const commands = client as unknown as Record<string, LuaScript | undefined>;
  if (typeof commands[name] !== "function") {
    client.defineCommand(name, { numberOfKeys: options.keys, lua: options.lua });
  }
  return (...keysThenArgs) => commands[name]!.apply(client, keysThenArgs);
}

/**
 * Closes a connection and resolves once ioredis says it ended, so none of its
 * timers outlive it: QUIT when connected (flushes pending replies), otherwise a
 * disconnect (QUIT would wait for a Redis that may never come back).
 */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === "end") return;
  const ended = new Promise((resolve) => client.once("end", resolve));
  if (client.status === "ready") {
    await client.quit().catch(() => client.disconnect());
    await ended;
    return;
  }
  // Between attempts, disconnect() arms a timer on the socket that already closed and
  // no "end" may follow: wait for "end" or for that timer to have run, whichever is first.
  client.disconnect();
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    ended,
    new Promise((resolve) => (timer = setTimeout(resolve, DISCONNECT_TIMEOUT_MS + 50))),
  ]);
  clearTimeout(timer);
}
