/**
 * The benchmark's scenarios. Each takes connected clients or a server URL and
 * returns plain numbers; none asserts anything.
 * @module
 */
import { directChat, register } from "../tests/_helpers/client.ts";
import {
  open,
  type Pair,
  type Percentiles,
  percentiles,
  pool,
  round,
  rssMb,
  sleep,
} from "./_load.ts";

/** What an online relay run measured. */
export interface RelayResult {
  messages: number;
  msgPerSec: number;
  endToEndMs: Percentiles;
  sendAckMs: Percentiles;
}

/** Records end-to-end latencies (content is the send time) until `total` arrived. */
function collect(pairs: Pair[], total: number): { e2e: number[]; all: Promise<void> } {
  const e2e: number[] = [];
  let done: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  for (const pair of pairs) {
    pair.onReceived((content) => {
      e2e.push(performance.now() - Number(content));
      if (e2e.length === total) done();
    });
  }
  return { e2e, all };
}

/**
 * Closed loop: every sender keeps `window` sends in flight until it has sent
 * `perSender`. Content carries the send time; end-to-end is send to handler.
 */
export async function relay(
  pairs: Pair[],
  options: { perSender: number; window: number },
): Promise<RelayResult> {
  const acks: number[] = [];
  const total = pairs.length * options.perSender;
  const { e2e, all } = collect(pairs, total);
  const started = performance.now();
  await Promise.all(pairs.map(async (pair) => {
    let sent = 0;
    const lane = async () => {
      while (sent < options.perSender) {
        sent++;
        const t0 = performance.now();
        await pair.send(String(t0));
        acks.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: options.window }, lane));
  }));
  await all;
  const seconds = (performance.now() - started) / 1000;
  return {
    messages: total,
    msgPerSec: Math.round(total / seconds),
    endToEndMs: percentiles(e2e),
    sendAckMs: percentiles(acks),
  };
}

/**
 * Open loop: sends at a fixed total `rate` for `seconds`, spread over the pairs,
 * whatever the server's pace. Latency counts from when each send was due, so a
 * server that falls behind shows it (no coordinated omission).
 */
export async function paced(
  pairs: Pair[],
  options: { rate: number; seconds: number },
): Promise<RelayResult & { rate: number }> {
  const acks: number[] = [];
  const total = Math.round(options.rate * options.seconds);
  const { e2e, all } = collect(pairs, total);
  const started = performance.now();
  const pending: Promise<unknown>[] = [];
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * options.rate));
    for (; sent < due; sent++) {
      const t0 = started + (sent / options.rate) * 1000;
      pending.push(
        pairs[sent % pairs.length].send(String(t0)).then(() => {
          acks.push(performance.now() - t0);
        }),
      );
    }
    await sleep(1);
  }
  await Promise.all(pending);
  await all;
  const seconds = (performance.now() - started) / 1000;
  return {
    rate: options.rate,
    messages: total,
    msgPerSec: Math.round(total / seconds),
    endToEndMs: percentiles(e2e),
    sendAckMs: percentiles(acks),
  };
}

/** Sends `count` messages from a to b over 64 lanes; resolves when all are acked. */
let filled = 0;

async function fill(url: string, token: string, chatId: string, count: number): Promise<void> {
  const socket = await open(url, { token });
  const ids = Array.from({ length: count }, (_, i) => i);
  await pool(ids, 64, (i) =>
    socket.timeout(60_000).emitWithAck("message:send", {
      chatId,
      content: `m${i}`,
      clientMsgId: `f${++filled}`,
    }));
  socket.close();
}

/** What a backlog drain measured. */
export interface DrainResult {
  messages: number;
  fillMsgPerSec: number;
  drainMs: number;
  inOrder: boolean;
}

/** `size` messages wait for an offline user, who then connects and acks each. */
export async function drain(url: string, size: number): Promise<DrainResult> {
  const [a, b] = [await register(url, "a"), await register(url, "b")];
  const chatId = await directChat(url, a, b);
  const fillStart = performance.now();
  await fill(url, a.token, chatId, size);
  const fillSeconds = (performance.now() - fillStart) / 1000;
  const seqs: number[] = [];
  let finished: () => void;
  const all = new Promise<void>((resolve) => (finished = resolve));
  const started = performance.now();
  const socket = await open(url, { token: b.token });
  socket.on("message:received", (m: { seq: number }, ack?: () => void) => {
    ack?.();
    seqs.push(m.seq);
    if (seqs.length === size) finished();
  });
  await all;
  const drainMs = round(performance.now() - started);
  socket.close();
  return {
    messages: size,
    fillMsgPerSec: Math.round(size / fillSeconds),
    drainMs,
    inOrder: seqs.every((seq, i) => seq === i + 1),
  };
}

/** Server memory with idle authenticated sockets. */
export interface IdleResult {
  sockets: number;
  users: number;
  rssBeforeMb: number;
  rssMb: number;
  kbPerSocket: number;
}

/** Opens `devices` sockets for each of `tokens` and reads the server's RSS. */
export async function idle(
  url: string,
  pid: number,
  options: { auths: Record<string, unknown>[]; devices: number; gc?: () => Promise<void> },
): Promise<IdleResult> {
  await sleep(1000);
  await options.gc?.();
  const before = await rssMb(pid);
  const auths = options.auths.flatMap((auth) => Array(options.devices).fill(auth));
  const sockets = await pool(auths, 100, (auth) => open(url, auth));
  await sleep(2000);
  await options.gc?.();
  const after = await rssMb(pid);
  for (const socket of sockets) socket.close();
  await sleep(500);
  return {
    sockets: sockets.length,
    users: options.auths.length,
    rssBeforeMb: before,
    rssMb: after,
    kbPerSocket: round(((after - before) * 1024) / sockets.length),
  };
}

/** Server RSS growth while `count` messages queue for one offline user. */
export async function queued(
  url: string,
  pid: number,
  options: { count: number; gc?: () => Promise<void> },
): Promise<{ messages: number; rssGrowthMb: number; fillMsgPerSec: number }> {
  const { count } = options;
  const [a, b] = [await register(url, "qa"), await register(url, "qb")];
  const chatId = await directChat(url, a, b);
  await fill(url, a.token, chatId, 1000); // warm up code paths and caches first
  await sleep(1000);
  await options.gc?.();
  const before = await rssMb(pid);
  const started = performance.now();
  await fill(url, a.token, chatId, count);
  const fillMsgPerSec = Math.round(count / ((performance.now() - started) / 1000));
  await sleep(2000);
  await options.gc?.();
  return { messages: count, rssGrowthMb: round((await rssMb(pid)) - before), fillMsgPerSec };
}
