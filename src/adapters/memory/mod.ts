/**
 * In-process adapters for a single node with no servers: presence in memory and
 * the store's pending index as the offline queue.
 * @module
 */
export { MemoryPresence } from "./presence.ts";
export { PendingIndexQueue } from "./pending_queue.ts";
export { MemoryRateLimiter } from "./rate_limiter.ts";
