/**
 * The Redis rate limiter runs the rate limiter contract against the real server.
 */
import { closeRedis, connectRedis, RedisRateLimiter } from "../../../src/adapters/redis/mod.ts";
import { rateLimiterContract } from "../../contract/rate_limiter.ts";
import { REDIS_URL, serviceUp, uniquePrefix } from "../../_helpers/services.ts";

const up = await serviceUp("Redis", REDIS_URL);

rateLimiterContract("redis", async () => {
  const client = await connectRedis({ url: REDIS_URL });
  const limiter = new RedisRateLimiter({ client, keyPrefix: uniquePrefix() });
  return {
    limiter,
    close: async () => {
      await limiter.close();
      await closeRedis(client);
    },
  };
}, { ignore: !up });
