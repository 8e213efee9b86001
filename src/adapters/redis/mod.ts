/**
 * Redis adapters: presence and the Socket.IO adapter for cross-node fan-out.
 * @module
 */
export { closeRedis, connectRedis, type RedisClientOptions } from "./client.ts";
export { RedisPresence, type RedisPresenceOptions } from "./presence.ts";
export { createRedisSocketAdapter, type RedisSocketAdapter } from "./socket_adapter.ts";
export { RedisRateLimiter, type RedisRateLimiterOptions } from "./rate_limiter.ts";
