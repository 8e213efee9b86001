/**
 * Measures who has a chat open, in a large group across two nodes on Redis:
 * every member's devices open the chat (`chat:join`), then one device opens and
 * closes it again and again. Each join and leave asks every node who has the
 * chat open; prints the acks' latency and what Redis carried per join and
 * leave (its `total_net_output_bytes`, which pub/sub deliveries make up here),
 * and how many lists of who has it open the first device heard meanwhile.
 * Run with `deno run -A bench/open_chats.ts` (Redis on 127.0.0.1:6379); sizes:
 * `USERS` (default 100), `DEVICES` per user (3), `CYCLES` (200).
 * @module
 */
import { Redis } from "ioredis";
import { api, registerAll } from "../tests/_helpers/client.ts";
import { startTestServer } from "../tests/_helpers/server.ts";
import { REDIS_URL, uniquePrefix } from "../tests/_helpers/services.ts";
import { connect, emitAck, type TestSocket } from "../tests/_helpers/sockets.ts";

const USERS = Number(Deno.env.get("USERS") ?? 100);
const DEVICES = Number(Deno.env.get("DEVICES") ?? 3);
const CYCLES = Number(Deno.env.get("CYCLES") ?? 200);

const redis = new Redis(REDIS_URL);
const sentByRedis = async () =>
  Number((await redis.info("stats")).match(/total_net_output_bytes:(\d+)/)![1]);
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (n: number) => `${n.toFixed(1)} ms`;

const dataDir = await Deno.makeTempDir({ prefix: "bench-open-" });
const env = {
  REDIS_URL,
  KEY_PREFIX: uniquePrefix(),
  DATA_DIR: dataDir,
  MAX_GROUP_SIZE: "300",
  API_REQUEST_LIMIT: "1000000",
  SIGNUP_LIMIT: "1000000",
  SOCKET_EVENT_LIMIT: "1000000",
};
const nodes = [await startTestServer(env), await startTestServer(env)];
const sockets: TestSocket[] = [];
try {
  const names = Array.from({ length: USERS }, (_, i) => `m${i}`);
  const users = [];
  for (let i = 0; i < names.length; i += 20) {
    users.push(...await registerAll(nodes[0].url, ...names.slice(i, i + 20)));
  }
  const chat = await api(nodes[0].url, "POST", "/api/chats", {
    token: users[0].token,
    body: { type: "group", name: "big", participantIds: users.slice(1).map((u) => u.user.id) },
  });
  const chatId = chat.body.chat.id;
  const timed = async (socket: TestSocket, event: string) => {
    const start = performance.now();
    const ack = await emitAck(socket, event, { chatId });
    if (!ack.ok) throw new Error(`Cannot ${event}: ${JSON.stringify(ack)}`);
    return performance.now() - start;
  };

  // Every device opens the chat, on alternating nodes.
  const fill: number[] = [];
  const beforeFill = await sentByRedis();
  for (let d = 0; d < DEVICES; d++) {
    for (const [i, user] of users.entries()) {
      const socket = await connect(nodes[(i + d) % 2].url, user.token);
      sockets.push(socket);
      fill.push(await timed(socket, "chat:join"));
    }
  }
  const fillBytes = await sentByRedis() - beforeFill;
  // What the first member's first device heard while the others came (the list's entries, summed).
  const heard = sockets[0].events.filter(([e]) => e === "chat:activeUsers")
    .map(([, p]) => (p as { activeUserIds: string[] }).activeUserIds.length);

  // One more device of the first user opens and closes it, CYCLES times.
  const visitor = await connect(nodes[0].url, users[0].token);
  sockets.push(visitor);
  const cycle: number[] = [];
  const beforeCycles = await sentByRedis();
  for (let i = 0; i < CYCLES; i++) {
    cycle.push(await timed(visitor, "chat:join"));
    cycle.push(await timed(visitor, "chat:leave"));
  }
  const cycleBytes = await sentByRedis() - beforeCycles;

  fill.sort((a, b) => a - b);
  cycle.sort((a, b) => a - b);
  const open = USERS * DEVICES;
  console.log(`${USERS} members × ${DEVICES} devices on 2 nodes (${open} sockets with it open)`);
  console.log(
    `filling: join p50 ${ms(quantile(fill, 0.5))}, p99 ${ms(quantile(fill, 0.99))}; ` +
      `Redis sent ${(fillBytes / open / 1024).toFixed(1)} KB per join; the first device heard ` +
      `${heard.length} lists of who has it open, ${heard.reduce((a, b) => a + b, 0)} entries`,
  );
  console.log(
    `at ${open} open: join/leave p50 ${ms(quantile(cycle, 0.5))}, ` +
      `p99 ${ms(quantile(cycle, 0.99))}; Redis sent ` +
      `${(cycleBytes / (2 * CYCLES) / 1024).toFixed(1)} KB per join or leave`,
  );
} finally {
  for (const socket of sockets) socket.close();
  for (const node of nodes) await node.close();
  redis.disconnect();
  await Deno.remove(dataDir, { recursive: true }).catch(() => {});
}
