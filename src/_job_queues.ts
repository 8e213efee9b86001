/**
 * Where the jobs after a send (push notifications, the app's events) wait:
 * durable in RabbitMQ and shared by the nodes when it is there, else in a KV
 * file (the embedded store's, or beside MongoDB one of their own).
 * @module
 */
import { join } from "node:path";
import { type KvJobFile, openKvJobFile } from "./adapters/kv/mod.ts";
import { RabbitJobQueue } from "./adapters/rabbitmq/mod.ts";
import type { Config } from "./config.ts";
import type { JobQueue, Logger } from "./core/mod.ts";

// Jobs a node sends at once, from each queue (and a receiver that is down holds this many in
// retry): 4 held the KV queue near 1,300 events a second to a receiver of its own, 32 reached
// 2,100; RabbitMQ's prefetch of 8 reached 1,900, of 32 2,200 (10,000 events, measured here).
const AT_ONCE = 32;

/**
 * The path of the jobs' own KV file in DATA_DIR, when they need one: beside
 * MongoDB without RabbitMQ, with a webhook to send to; undefined otherwise.
 */
export function ownJobsFile(config: Config): string | undefined {
  if (!config.mongodbUrl || config.amqpUrl) return undefined;
  if (!config.pushWebhookUrl && !config.eventsWebhook) return undefined;
  return join(config.dataDir, "jobs.kv");
}

/**
 * The KV file the job queues use when there is no RabbitMQ: the jobs' own
 * (`ownJobsFile`), so that a restart keeps them, else the embedded `store`'s.
 */
export async function openJobFile(
  config: Config,
  store: KvJobFile | undefined,
): Promise<KvJobFile | undefined> {
  const path = ownJobsFile(config);
  return path ? await openKvJobFile({ path }) : store;
}

/** Opens the queue `name` ("push.jobs", "app.events") where the config says jobs wait. */
export async function openJobQueue<T>(
  name: string,
  options: { config: Config; file?: KvJobFile; logger: Logger },
): Promise<JobQueue<T>> {
  const { config, file, logger } = options;
  const onError = (error: unknown) =>
    logger.warn("job queue degraded", { queue: name, error: String(error) });
  if (!config.amqpUrl) {
    if (!file) throw new Error(`Cannot open job queue ${name}: no RabbitMQ and no KV file`);
    return file.jobQueue<T>({ name, onError, concurrency: AT_ONCE });
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
