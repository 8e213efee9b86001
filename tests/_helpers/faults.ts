/**
 * Faults injected into the real services: Redis connections cut by the server
 * side, RabbitMQ connections closed, the broker stopped or in a resource alarm,
 * through the services' own admin commands.
 * @module
 */
import { Redis } from "ioredis";
import { REDIS_URL } from "./services.ts";
import { until } from "./client.ts";

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

/**
 * Runs `rabbitmqctl` with `args` (on the broker's host) and returns what it
 * printed; throws with its stderr if it fails.
 */
export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command("rabbitmqctl", {
    args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(`rabbitmqctl ${args.join(" ")} failed: ${new TextDecoder().decode(stderr)}`);
  }
  return new TextDecoder().decode(stdout).trim();
}

/**
 * Runs `fn` while the broker is in a memory alarm (its watermark set to one
 * byte), which blocks every publishing connection; the watermark it had comes
 * back afterwards, whatever `fn` does.
 */
export async function duringMemoryAlarm(fn: () => Promise<void>): Promise<void> {
  const get = "vm_memory_monitor:get_vm_memory_high_watermark().";
  const before = await rabbitmqctl("eval", get);
  // A relative watermark prints as a fraction (0.4), an absolute one as {absolute,Bytes}.
  const absolute = before.match(/^\{absolute,(\d+)\}$/);
  if (!absolute && !/^[\d.]+$/.test(before)) {
    throw new Error(`Cannot read the watermark: ${before}`);
  }
  const alarms = () => rabbitmqctl("eval", "rabbit_alarm:get_alarms().");
  await rabbitmqctl("set_vm_memory_high_watermark", "absolute", "1");
  try {
    await until("the memory alarm is on", async () => (await alarms()) !== "[]");
    await fn();
  } finally {
    await rabbitmqctl(
      "set_vm_memory_high_watermark",
      ...(absolute ? ["absolute", absolute[1]] : [before]),
    );
    await until("the memory alarm is off", async () => (await alarms()) === "[]");
  }
}
