/**
 * `deno task doctor`: checks the configuration and each configured dependency
 * the way the server would use them, and says what is wrong in words a newcomer
 * can act on. Exits 1 when something would stop the server or degrade it.
 * @module
 */
import amqp from "amqplib";
import { closeRedis, connectRedis } from "./adapters/redis/client.ts";
import { openKvStore } from "./adapters/kv/mod.ts";
import { kvFile } from "./backends.ts";
import { openJobFile, ownJobsFile } from "./_job_queues.ts";
import { openMongoStore } from "./adapters/mongo/mod.ts";
import { fetchKeys } from "./adapters/jwt/mod.ts";
import { type Config, ConfigError, loadConfig } from "./config.ts";

type Check = { name: string; ok: boolean; detail: string; fix?: string };

const within = <T>(ms: number, what: Promise<T>) =>
  Promise.race([
    what,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)
    ),
  ]);

async function attempt(name: string, run: () => Promise<string>, fix: string): Promise<Check> {
  try {
    return { name, ok: true, detail: await within(5000, run()) };
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    // An error that wraps another (the server's errors do, for clients) says why here.
    const why = (error as Error)?.cause instanceof Error ? (error as Error).cause as Error : null;
    return { name, ok: false, detail: why ? `${message}: ${why.message}` : message, fix };
  }
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]+@/, "//$1:***@");

// The webhooks the server will POST to; shown without a query, which may hold a token.
function webhooks(config: Config) {
  const found = [
    {
      name: "push webhook",
      url: config.pushWebhookUrl,
      fix:
        "Check PUSH_WEBHOOK_URL: nothing answers there. Pushes are tried PUSH_MAX_ATTEMPTS times, then dropped (the messages still wait in the backlog).",
    },
    {
      name: "events webhook",
      url: config.eventsWebhook?.url,
      fix:
        "Check EVENTS_WEBHOOK_URL: nothing answers there. Events are tried for about half an hour (EVENTS_MAX_ATTEMPTS), then dropped and counted.",
    },
  ];
  return found.flatMap(({ url, ...hook }) => {
    if (!url) return [];
    const { origin, pathname } = new URL(url);
    return [{ ...hook, url, shown: origin + pathname }];
  });
}

async function checks(config: Config): Promise<Check[]> {
  const list: Check[] = [];
  list.push(
    config.mongodbUrl
      ? await attempt(
        "store: MongoDB",
        async () => {
          const store = await openMongoStore({
            url: config.mongodbUrl!,
            database: config.mongodbDb,
          });
          await store.ping();
          await store.close();
          return `${redact(config.mongodbUrl!)}, database ${config.mongodbDb}`;
        },
        "Start MongoDB as a replica set (transactions need one; see docker-compose.yml) or unset MONGODB_URL to use the embedded store.",
      )
      : await attempt("store: Deno KV file", async () => {
        const store = await openKvStore({ path: kvFile(config) });
        await store.ping();
        await store.close();
        return kvFile(config);
      }, "DATA_DIR must be a writable folder on a local disk (not a network share)."),
  );
  if (config.redisUrl) {
    list.push(
      await attempt(
        "presence: Redis",
        async () => {
          const redis = await connectRedis({ url: config.redisUrl!, connectTimeoutMs: 3000 });
          try {
            const pong = await redis.ping().catch(() => {
              throw new Error(`cannot reach ${redact(config.redisUrl!)} (no connection)`);
            });
            if (pong !== "PONG") throw new Error(`PING answered ${pong}`);
            return redact(config.redisUrl!);
          } finally {
            await closeRedis(redis);
          }
        },
        "Start Redis (redis-server) or fix REDIS_URL; without Redis the server runs degraded: one node only, presence in memory.",
      ),
    );
  } else {
    list.push({
      name: "presence",
      ok: true,
      detail: "in memory (REDIS_URL not set): one node only",
    });
  }
  if (config.amqpUrl) {
    list.push(
      await attempt(
        "offline queue: RabbitMQ",
        async () => {
          const connection = await amqp.connect(config.amqpUrl!);
          await connection.close();
          return redact(config.amqpUrl!);
        },
        "Start RabbitMQ (rabbitmq-server) or fix AMQP_URL (user, password, vhost); without it the store's pending index serves the backlog.",
      ),
    );
  } else {
    list.push({
      name: "offline queue",
      ok: true,
      detail: "the store's pending index (AMQP_URL not set)",
    });
  }
  const jobsFile = ownJobsFile(config);
  if (jobsFile) {
    list.push(
      await attempt(
        "jobs: Deno KV file",
        async () => {
          await (await openJobFile(config, undefined))?.close();
          return `${jobsFile} (AMQP_URL not set)`;
        },
        "DATA_DIR must be a writable folder on a local disk, or set AMQP_URL to keep jobs in RabbitMQ.",
      ),
    );
  }
  const jwksUrl = config.externalAuth?.jwksUrl;
  if (jwksUrl) {
    list.push(
      await attempt(
        "identity provider: keys",
        async () => `${(await fetchKeys(jwksUrl)).length} listed at ${jwksUrl}`,
        "Check EXTERNAL_AUTH_JWKS_URL (your provider's OpenID configuration names it jwks_uri); until its keys are read, logins through it answer 503.",
      ),
    );
  }
  for (const hook of webhooks(config)) {
    list.push(
      await attempt(hook.name, async () => {
        // Any answer will do (a POST endpoint may well refuse HEAD): only silence is wrong.
        const res = await fetch(hook.url, { method: "HEAD" });
        await res.body?.cancel();
        return `${hook.shown} answers (${res.status} to HEAD)`;
      }, hook.fix),
    );
  }
  if (config.jwtSecretGenerated || config.messageKeyGenerated) {
    list.push({
      name: "secrets",
      ok: config.env !== "production",
      detail: "JWT_SECRET or MESSAGE_KEY was generated and kept in DATA_DIR",
      fix:
        "Set JWT_SECRET and MESSAGE_KEY for every node of a deployment; they must be the same on all.",
    });
  }
  return list;
}

let failed = false;
try {
  const config = await loadConfig();
  console.log(`configuration: ok (${config.env}, port ${config.port}, DATA_DIR ${config.dataDir})`);
  for (const check of await checks(config)) {
    failed ||= !check.ok;
    console.log(`${check.ok ? "ok  " : "FAIL"}  ${check.name}: ${check.detail}`);
    if (!check.ok && check.fix) console.log(`      what to do: ${check.fix}`);
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  failed = true;
  console.log(`FAIL  configuration: ${error.message}`);
  console.log("      what to do: fix that variable (README, Configuration, lists each one).");
}
console.log(failed ? "\nSomething needs fixing (above)." : "\nAll good.");
Deno.exit(failed ? 1 : 0);
