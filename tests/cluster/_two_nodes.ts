/**
 * Two server processes for the cluster tests: one Deno KV file (its atomic
 * checks hold across processes on one host), and shared Redis and RabbitMQ.
 * @module
 */
import { type ChildServer, spawnServer } from "../_helpers/server.ts";
import { AMQP_URL, REDIS_URL, serviceUp, uniquePrefix } from "../_helpers/services.ts";

/** Whether Redis and RabbitMQ answer (in CI, an unreachable one fails the run). */
export const servicesUp = await serviceUp("Redis", REDIS_URL) &&
  await serviceUp("RabbitMQ", AMQP_URL);

/** Starts two nodes on one KV file, Redis and RabbitMQ, with a short presence heartbeat. */
export async function twoNodes(): Promise<{ a: ChildServer; b: ChildServer; dataDir: string }> {
  const dataDir = await Deno.makeTempDir({ prefix: "cluster-" });
  const env = {
    // One user sends 600 messages here: lift the default limit of 50 a minute.
    RATE_LIMIT_MESSAGES: "100000",
    DATA_DIR: dataDir,
    REDIS_URL,
    AMQP_URL,
    KEY_PREFIX: uniquePrefix(),
    PRESENCE_TTL_MS: "3000",
    PRESENCE_HEARTBEAT_MS: "1000",
  };
  const [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
  return { a, b, dataDir };
}
