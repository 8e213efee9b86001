/**
 * Where the jobs after a send (push notifications, the app's events) wait:
 * durable in RabbitMQ and shared by the nodes when it is there, else in the KV
 * file; only in memory beside MongoDB without RabbitMQ (a store for jobs is
 * RabbitMQ's job).
 * @module
 */
import type { KvStore } from "./adapters/kv/mod.ts";
import { MemoryJobQueue } from "./adapters/memory/mod.ts";
import { RabbitJobQueue } from "./adapters/rabbitmq/mod.ts";
import type { Config } from "./config.ts";
import type { JobQueue, Logger } from "./core/mod.ts";

// Jobs a node sends at once, from each queue (and a receiver that is down holds this many in
// retry): 4 held the KV queue near 1,300 events a second to a receiver of its own, 32 reached
// 2,100; RabbitMQ's prefetch of 8 reached 1,900, of 32 2,200 (10,000 events, measured here).
const AT_ONCE = 32;

/** Opens the queue `name` ("push.jobs", "app.events") where the config says jobs wait. */
export async function openJobQueue<T>(
  name: string,
  options: { config: Config; kv?: KvStore; logger: Logger },
): Promise<JobQueue<T>> {
  const { config, kv, logger } = options;
  const onError = (error: unknown) =>
    logger.warn("job queue degraded", { queue: name, error: String(error) });
  if (!config.amqpUrl) {
    return kv?.jobQueue<T>({ name, onError, concurrency: AT_ONCE }) ??
      new MemoryJobQueue<T>({ concurrency: AT_ONCE });
  }
  const jobs = new RabbitJobQueue<T>({
    url: config.amqpUrl,
    queuePrefix: config.keyPrefix,
    name,
    prefetch: AT_ONCE,
    onError,
  });
  await jobs.open();
  return jobs;
}
