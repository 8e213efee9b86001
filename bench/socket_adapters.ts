/**
 * Measures the two Socket.IO Redis adapters the backends issue names, on the
 * path our server uses them for: a broadcast from node A to a room whose socket
 * is on node B. Prints throughput and latency; run with
 * `deno run -A bench/socket_adapters.ts` (needs Redis on 127.0.0.1:6379). The
 * streams adapter is imported only here, to compare it.
 */
import { createServer } from "node:http";
import { createAdapter as pubSub } from "@socket.io/redis-adapter";
import { createAdapter as streams } from "@socket.io/redis-streams-adapter";
import { Redis } from "ioredis";
import { Server } from "socket.io";
import { io } from "socket.io-client";

const URL = Deno.env.get("REDIS_URL") ?? "redis://127.0.0.1:6379";
const EVENTS = Number(Deno.env.get("EVENTS") ?? 10_000);
/** Events per second; 0 sends them all at once (a burst measures queueing, not latency). */
const RATE = Number(Deno.env.get("RATE") ?? 5_000);

type Factory = (key: string) => { adapter: unknown; clients: Redis[] };

const factories: Record<string, Factory> = {
  "redis-adapter (pub/sub)": (key) => {
    const pub = new Redis(URL);
    const sub = pub.duplicate();
    return { adapter: pubSub(pub, sub, { key }), clients: [pub, sub] };
  },
  "redis-streams-adapter": (key) => {
    const client = new Redis(URL);
    return { adapter: streams(client, { streamName: key }), clients: [client] };
  },
};

async function node(factory: Factory, key: string) {
  const http = createServer();
  const { adapter, clients } = factory(key);
  // deno-lint-ignore no-explicit-any -- both factories return socket.io adapter constructors
  const server = new Server(http, { adapter: adapter as any });
  server.on("connection", (socket) => socket.join("room"));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  await new Promise((resolve) => setTimeout(resolve, 300)); // let subscriptions settle
  return { server, port: (http.address() as { port: number }).port, clients };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

for (const [name, factory] of Object.entries(factories)) {
  const key = `bench-${crypto.randomUUID().slice(0, 8)}`;
  const a = await node(factory, key);
  const b = await node(factory, key);
  const client = io(`http://127.0.0.1:${b.port}`, { transports: ["websocket"] });
  await new Promise<void>((resolve) => client.once("connect", () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const latencies: number[] = [];
  const done = new Promise<void>((resolve) =>
    client.on("tick", (sentAt: number) => {
      latencies.push(performance.now() - sentAt);
      if (latencies.length === EVENTS) resolve();
    })
  );
  const start = performance.now();
  const batch = 50;
  for (let i = 0; i < EVENTS; i += batch) {
    for (let j = 0; j < batch; j++) a.server.to("room").emit("tick", performance.now());
    const due = start + ((i + batch) / (RATE || Infinity)) * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
  }
  await done;
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((x, y) => x - y);
  console.log(
    `${name.padEnd(26)} offered ${RATE || "burst"}/s: ${
      Math.round(EVENTS / seconds).toString().padStart(7)
    } events/s` +
      `  p50 ${percentile(latencies, 0.5).toFixed(1)} ms  p99 ${
        percentile(latencies, 0.99).toFixed(1)
      } ms`,
  );
  client.close();
  for (const n of [a, b]) {
    await n.server.close();
    for (const c of n.clients) c.disconnect();
  }
}
Deno.exit(0);
