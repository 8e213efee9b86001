/**
 * Tests that need Redis, RabbitMQ or MongoDB. In CI (`CI=true`) an unreachable
 * Redis or RabbitMQ fails the run; elsewhere the test is skipped with a line
 * saying why. MongoDB tests run only where `MONGODB_URL` is set.
 * @module
 */

/** Where the local services listen; override with the same variables the server reads. */
export const REDIS_URL = Deno.env.get("TEST_REDIS_URL") ?? "redis://127.0.0.1:6379";
/** RabbitMQ for tests. */
export const AMQP_URL = Deno.env.get("TEST_AMQP_URL") ?? "amqp://guest:guest@127.0.0.1:5672";
/** MongoDB for tests, when there is one. */
export const MONGODB_URL = Deno.env.get("MONGODB_URL");

const IN_CI = Deno.env.get("CI") === "true";

async function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  try {
    const conn = await Deno.connect({ hostname, port: Number(port) });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a service answers at `url`. When it does not: in CI, registers a
 * failing test that says so; elsewhere, prints which tests are skipped.
 */
export async function serviceUp(service: "Redis" | "RabbitMQ", url: string): Promise<boolean> {
  if (await reachable(url)) return true;
  if (IN_CI) {
    Deno.test(`${service} is reachable`, () => {
      throw new Error(`${service} is unreachable at ${url}: CI must provide it`);
    });
  } else {
    console.log(`skip: tests that need ${service} (unreachable at ${url})`);
  }
  return false;
}

/** Whether MongoDB tests run: only where `MONGODB_URL` is set; otherwise says so. */
export function mongoUp(): boolean {
  if (!MONGODB_URL) console.log("skip: tests that need MongoDB (MONGODB_URL is not set)");
  return MONGODB_URL !== undefined;
}

/** A prefix for Redis keys and RabbitMQ queues that no other test run uses. */
export function uniquePrefix(): string {
  return `test-${crypto.randomUUID().slice(0, 8)}:`;
}
