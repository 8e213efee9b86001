/**
 * Faults injected into the real services: Redis connections cut by the server
 * side, RabbitMQ connections closed or the broker stopped, through the services'
 * own admin commands.
 * @module
 */
import { Redis } from "ioredis";
import { REDIS_URL } from "./services.ts";

/** Cuts every Redis connection whose client name is `name`; resolves with how many. */
export async function killRedisClients(name: string): Promise<number> {
  const admin = new Redis(REDIS_URL);
  try {
    const list = (await admin.client("LIST")) as string;
    const ids = list.split("\n").filter((l) => l.includes(`name=${name}`)).map((l) =>
      l.match(/id=(\d+)/)![1]
    );
    for (const id of ids) await admin.client("KILL", "ID", id);
    return ids.length;
  } finally {
    admin.disconnect();
  }
}

/** Runs `rabbitmqctl` with `args` (on the broker's host); throws with its stderr if it fails. */
export async function rabbitmqctl(...args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command("rabbitmqctl", {
    args,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(`rabbitmqctl ${args.join(" ")} failed: ${new TextDecoder().decode(stderr)}`);
  }
}
