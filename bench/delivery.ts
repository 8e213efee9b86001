/**
 * A first measurement of the delivery path, against the real server in a child
 * process (embedded store): online relay between 50 pairs, and draining one
 * offline user's backlog. Prints numbers; asserts nothing.
 * `deno run -A bench/delivery.ts` (PAIRS, MESSAGES, BACKLOG to change sizes).
 */
import { connect, directChat, register, type TestSocket } from "../tests/_helpers/client.ts";
import { spawnServer } from "../tests/_helpers/server.ts";

const PAIRS = Number(Deno.env.get("PAIRS") ?? 50);
const MESSAGES = Number(Deno.env.get("MESSAGES") ?? 200);
const WINDOW = 10;
const BACKLOG = Number(Deno.env.get("BACKLOG") ?? 10_000);

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const ms = (n: number) => `${n.toFixed(1)} ms`;

const dataDir = await Deno.makeTempDir({ prefix: "bench-" });
const server = await spawnServer({
  DATA_DIR: dataDir,
  RATE_LIMIT_MESSAGES: "1000000",
});
const { url } = server;

// 1. Online relay: every sender keeps WINDOW sends in flight to its own recipient.
const pairs = [];
for (let i = 0; i < PAIRS; i++) {
  const [a, b] = [await register(url, "s"), await register(url, "r")];
  pairs.push({
    chatId: await directChat(url, a, b),
    sender: await connect(url, a.token),
    recipient: await connect(url, b.token),
  });
}
const e2e: number[] = [];
const ackLatency: number[] = [];
for (const { recipient } of pairs) {
  recipient.socket.on(
    "message:received",
    (m: { content: string }) => e2e.push(performance.now() - Number(m.content)),
  );
}
const started = performance.now();
await Promise.all(pairs.map(async ({ chatId, sender }) => {
  let next = 0;
  const lane = async () => {
    while (next < MESSAGES) {
      const i = next++;
      const t0 = performance.now();
      await sender.socket.timeout(30_000).emitWithAck("message:send", {
        chatId,
        content: String(t0),
        clientMsgId: `m${i}`,
      });
      ackLatency.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, lane));
}));
const total = PAIRS * MESSAGES;
while (e2e.length < total) await new Promise((r) => setTimeout(r, 5));
const seconds = (performance.now() - started) / 1000;
e2e.sort((x, y) => x - y);
ackLatency.sort((x, y) => x - y);
console.log(`online relay: ${PAIRS} pairs x ${MESSAGES} messages, window ${WINDOW}`);
console.log(`  delivered ${Math.round(total / seconds)} msg/s`);
console.log(
  `  end-to-end p50 ${ms(pct(e2e, 0.5))} p99 ${ms(pct(e2e, 0.99))}; send ack p50 ${
    ms(pct(ackLatency, 0.5))
  } p99 ${ms(pct(ackLatency, 0.99))}`,
);
for (const { sender, recipient } of pairs) {
  sender.close();
  recipient.close();
}

// 2. Backlog drain: BACKLOG messages wait for one offline user, who then connects.
const [alice, bob] = [await register(url, "a"), await register(url, "b")];
const chatId = await directChat(url, alice, bob);
const a = await connect(url, alice.token);
let sent = 0;
const fill = async () => {
  while (sent < BACKLOG) {
    const i = sent++;
    await a.socket.timeout(30_000).emitWithAck("message:send", {
      chatId,
      content: `b${i}`,
      clientMsgId: `b${i}`,
    });
  }
};
const fillStart = performance.now();
await Promise.all(Array.from({ length: 32 }, fill));
console.log(
  `backlog: stored ${BACKLOG} messages at ${
    Math.round(BACKLOG / ((performance.now() - fillStart) / 1000))
  } msg/s`,
);
const drainStart = performance.now();
const b: TestSocket = await connect(url, bob.token);
while (b.received.length < BACKLOG) await new Promise((r) => setTimeout(r, 5));
const drainMs = performance.now() - drainStart;
const inOrder = b.received.every((m, i) => i === 0 || m.seq > b.received[i - 1].seq);
console.log(
  `  drained ${BACKLOG} in ${ms(drainMs)} (connect to last message), in order: ${inOrder}`,
);
a.close();
b.close();
await server.kill();
await Deno.remove(dataDir, { recursive: true });
