/**
 * Presence in Redis, correct for many devices on many nodes.
 *
 * `online:{userId}` is a sorted set of the user's devices scored by when each
 * expires; the node holding a device pushes that time forward on every heartbeat.
 * The key itself keeps the seed's 24 h TTL. A node that dies stops its heartbeats,
 * so its devices expire within PRESENCE_TTL_MS; `presence:devices` indexes every
 * device by expiry so that a surviving node can sweep them and announce the users
 * who went offline, each exactly once (the sweep is one Lua script).
 * @module
 */
import type { Redis } from "ioredis";
import type { Presence } from "../../core/ports.ts";
import { closeRedis, type LuaScript, luaScript } from "./client.ts";

/** Options of Redis presence. */
export interface RedisPresenceOptions {
  /** A connected client; closed by `close()` only if `ownsClient`. */
  client: Redis;
  ownsClient?: boolean;
  /** Prefix of every key, so several deployments can share one Redis. */
  keyPrefix: string;
  /** How long a device counts as online without a heartbeat. */
  ttlMs: number;
  /** How often this node refreshes its devices; at most half of `ttlMs`. */
  heartbeatMs: number;
  /** Called when a heartbeat fails (Redis down); presence recovers on the next one. */
  onError?: (error: unknown) => void;
}

// The seed's TTL for online:{userId}: a key of a user nobody refreshes goes away.
const KEY_TTL_SECONDS = 24 * 3600;

const CONNECT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local before = redis.call('ZCARD', KEYS[1])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[4] .. '\\n' .. ARGV[3])
if before == 0 then return 1 end
return 0`;

const DISCONNECT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local removed = redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[3] .. '\\n' .. ARGV[2])
if removed == 1 and redis.call('ZCARD', KEYS[1]) == 0 then return 1 end
return 0`;

const SWEEP = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1000)
local offline = {}
for _, member in ipairs(expired) do
  redis.call('ZREM', KEYS[1], member)
  local sep = string.find(member, '\\n', 1, true)
  local user = string.sub(member, 1, sep - 1)
  local key = ARGV[2] .. user
  redis.call('ZREM', key, string.sub(member, sep + 1))
  redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[1])
  if redis.call('ZCARD', key) == 0 then table.insert(offline, user) end
end
return offline`;

/** Presence on Redis sorted sets with heartbeats. */
export class RedisPresence implements Presence {
  #redis: Redis;
  #options: RedisPresenceOptions;
  /** This node's devices, refreshed on every heartbeat. */
  #local = new Map<string, string>();
  #timer: ReturnType<typeof setInterval>;
  #connect: LuaScript;
  #disconnect: LuaScript;
  #sweep: LuaScript;

  /** Starts the heartbeat. */
  constructor(options: RedisPresenceOptions) {
    this.#redis = options.client;
    this.#options = options;
    this.#connect = luaScript(this.#redis, "chatPresenceConnect", { keys: 2, lua: CONNECT });
    this.#disconnect = luaScript(this.#redis, "chatPresenceDisconnect", {
      keys: 2,
      lua: DISCONNECT,
    });
    this.#sweep = luaScript(this.#redis, "chatPresenceSweep", { keys: 1, lua: SWEEP });
    this.#timer = setInterval(
      () => this.#heartbeat().catch((e) => options.onError?.(e)),
      options.heartbeatMs,
    );
  }

  #key(userId: string): string {
    return `${this.#options.keyPrefix}online:${userId}`;
  }

  get #devicesKey(): string {
    return `${this.#options.keyPrefix}presence:devices`;
  }

  async connect(userId: string, deviceId: string): Promise<boolean> {
    this.#local.set(deviceId, userId);
    const now = Date.now();
    const first = await this.#connect(
      this.#key(userId),
      this.#devicesKey,
      now,
      now + this.#options.ttlMs,
      deviceId,
      userId,
      KEY_TTL_SECONDS,
    );
    return first === 1;
  }

  async disconnect(userId: string, deviceId: string): Promise<boolean> {
    this.#local.delete(deviceId);
    const last = await this.#disconnect(
      this.#key(userId),
      this.#devicesKey,
      Date.now(),
      deviceId,
      userId,
    );
    return last === 1;
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const now = Date.now();
    const pipeline = this.#redis.pipeline();
    for (const id of userIds) pipeline.zcount(this.#key(id), now, "+inf");
    const results = await pipeline.exec();
    return new Set(userIds.filter((_, i) => Number(results?.[i]?.[1] ?? 0) > 0));
  }

  async sweep(): Promise<string[]> {
    const users = await this.#sweep(
      this.#devicesKey,
      Date.now(),
      `${this.#options.keyPrefix}online:`,
    );
    return [...new Set(users as string[])];
  }

  async ping(): Promise<void> {
    await this.#redis.ping();
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#local.clear();
    if (this.#options.ownsClient) await closeRedis(this.#redis);
  }

  /** Pushes the expiry of this node's devices forward; re-adds any a sweep removed. */
  async #heartbeat(): Promise<void> {
    if (this.#local.size === 0) return;
    const expires = Date.now() + this.#options.ttlMs;
    const pipeline = this.#redis.pipeline();
    for (const [deviceId, userId] of this.#local) {
      pipeline.zadd(this.#key(userId), expires, deviceId).expire(
        this.#key(userId),
        KEY_TTL_SECONDS,
      );
      pipeline.zadd(this.#devicesKey, expires, `${userId}\n${deviceId}`);
    }
    await pipeline.exec();
  }
}
