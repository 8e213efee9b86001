/**
 * The moving parts of the chaos tests: a seeded random source, a cluster whose
 * nodes can be killed and restarted, the faults, and devices that come and go.
 * @module
 */
import { connect, sleep, type TestSocket, type TestUser } from "../_helpers/client.ts";
import { killRedisClients, rabbitmqctl } from "../_helpers/faults.ts";
import { type ChildServer, freePort, spawnServer } from "../_helpers/server.ts";
import { AMQP_URL, REDIS_URL, uniquePrefix } from "../_helpers/services.ts";

/** A seeded random source. */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
  /** One of `items`. */
  pick<T>(items: readonly T[]): T;
}

/** A seeded random source (mulberry32), so a failing run can be replayed with its seed. */
export function random(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: (items) => items[Math.floor(next() * items.length)] };
}

/**
 * Server processes sharing one KV file, Redis and RabbitMQ; any of them can be
 * killed. A node restarts on its own port, as a deployment's nodes keep their
 * addresses, so clients that reconnect by themselves find it again.
 */
export class Cluster {
  #envs: Record<string, string>[];
  #nodes: (ChildServer | null)[];

  private constructor(envs: Record<string, string>[], nodes: ChildServer[]) {
    this.#envs = envs;
    this.#nodes = nodes;
  }

  /** Starts `size` nodes with the same environment, each on a port of its own. */
  static async start(size: number, env: Record<string, string>): Promise<Cluster> {
    const envs = Array.from({ length: size }, () => ({ ...env, PORT: String(freePort()) }));
    return new Cluster(envs, await Promise.all(envs.map((e) => spawnServer(e))));
  }

  /** Node `i`'s URL, whether it is up or not. */
  url(i: number): string {
    return `http://127.0.0.1:${this.#envs[i].PORT}`;
  }

  /** The URLs of the nodes that are up. */
  get urls(): string[] {
    return this.#nodes.flatMap((node) => node ? [node.url] : []);
  }

  /** Stops node `i`: SIGKILL (a crash) by default, SIGTERM for a graceful stop. */
  async kill(i: number, signal?: "SIGKILL" | "SIGTERM"): Promise<void> {
    const node = this.#nodes[i];
    this.#nodes[i] = null;
    await node?.kill(signal);
  }

  /** Starts node `i` again, on its port, if it is down. */
  async restart(i: number): Promise<void> {
    this.#nodes[i] ??= await spawnServer(this.#envs[i]);
  }

  /** Kills every node. */
  async stop(): Promise<void> {
    for (let i = 0; i < this.#nodes.length; i++) await this.kill(i);
  }
}

/** What a chaos test's body gets. */
export interface ChaosRun {
  seed: number;
  rng: Random;
  cluster: Cluster;
  /** The nodes' KEY_PREFIX: their Redis connections are named after it. */
  keyPrefix: string;
}

/**
 * Runs `body` on a fresh cluster of two nodes sharing one KV file, Redis and
 * RabbitMQ (short presence TTL, no rate limit in the way), `env` on top. The
 * seed is `CHAOS_SEED` or random, and a failure prints it. The cluster is
 * stopped and its files removed however `body` ends.
 */
export async function chaosRun(
  env: Record<string, string>,
  body: (run: ChaosRun) => Promise<void>,
): Promise<void> {
  const seed = Number(Deno.env.get("CHAOS_SEED") ?? Math.floor(Math.random() * 2 ** 31));
  const dataDir = await Deno.makeTempDir({ prefix: "chaos-" });
  const keyPrefix = uniquePrefix();
  const cluster = await Cluster.start(2, {
    DATA_DIR: dataDir,
    REDIS_URL,
    AMQP_URL,
    KEY_PREFIX: keyPrefix,
    RATE_LIMIT_MESSAGES: "100000",
    PRESENCE_TTL_MS: "3000",
    PRESENCE_HEARTBEAT_MS: "1000",
    ...env,
  });
  try {
    await body({ seed, rng: random(seed), cluster, keyPrefix });
  } catch (error) {
    console.error(`chaos test failed; replay its choices with CHAOS_SEED=${seed}`);
    throw error;
  } finally {
    await cluster.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
}

/**
 * The faults of a chaos run, one after another with random gaps: node 1
 * crashes, every node's Redis connections are cut, node 0 is redeployed
 * (SIGTERM), and the broker closes every connection. A stopped node comes back
 * after a random pause. Resolves when the last fault is over.
 */
export async function injectFaults(
  { cluster, rng, keyPrefix }: Omit<ChaosRun, "seed">,
): Promise<void> {
  const bounce = async (node: number, signal: "SIGKILL" | "SIGTERM") => {
    await cluster.kill(node, signal);
    await sleep(200 + rng.next() * 300);
    await cluster.restart(node);
  };
  const faults = [
    () => bounce(1, "SIGKILL"),
    () => killRedisClients(`${keyPrefix}chat`),
    () => bounce(0, "SIGTERM"),
    () => rabbitmqctl("close_all_connections", "chaos test"),
  ];
  for (const fault of faults) {
    await sleep(300 + rng.next() * 500);
    await fault();
  }
}

/** One device slot of a user: connected or not; every connection it made is kept. */
export interface Device {
  user: TestUser;
  socket: TestSocket | null;
  /** Every connection of this device, in order, with what each received. */
  connections: TestSocket[];
}

/**
 * Connects a device to `url`. A device that does not acknowledge plays one that
 * shows messages and dies before its ack. Resolves false when the node refused
 * or is gone.
 */
export async function plugIn(device: Device, url: string, autoAck: boolean): Promise<boolean> {
  try {
    const socket = await connect(url, device.user.token, { autoAck });
    device.socket = socket;
    device.connections.push(socket);
    socket.socket.on("disconnect", () => {
      if (device.socket === socket) device.socket = null;
    });
    return true;
  } catch {
    return false;
  }
}

/** Closes a device's connection, if it has one. */
export function unplug(device: Device): void {
  device.socket?.close();
  device.socket = null;
}
