/**
 * The in-memory rate limiter runs the rate limiter contract.
 */
import { MemoryRateLimiter } from "../../../src/adapters/memory/mod.ts";
import { rateLimiterContract } from "../../contract/rate_limiter.ts";

rateLimiterContract("memory", () => {
  const limiter = new MemoryRateLimiter();
  return Promise.resolve({ limiter, close: () => limiter.close() });
});
