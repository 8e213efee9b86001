/**
 * The benchmark's scenarios. Each takes connected clients or a server URL and
 * returns plain numbers; none asserts anything.
 * @module
 */
import { directChat, register } from "../tests/_helpers/client.ts";
import { fill, open, type Pair, type Percentiles, percentiles, round, sleep } from "./_load.ts";

/** What an online relay run measured. */
export interface RelayResult {
  messages: number;
  /**
   * Delivered per second: until the last message reached its recipient and, on
   * our server, until the sender got the last "delivered" tick (the ack stored).
   */
  msgPerSec: number;
  /** On our server: from the last message received to the last "delivered" tick. */
  lastTickAfterMs?: number;
  endToEndMs: Percentiles;
  sendAckMs: Percentiles;
}

/**
 * Records end-to-end latencies (content is the send time) until `total` arrived;
 * `all` resolves with when the last arrived and, where pairs tell, when the last
 * "delivered" tick did.
 */
function collect(
  pairs: Pair[],
  total: number,
): { e2e: number[]; all: Promise<{ received: number; ticked?: number }> } {
  const e2e: number[] = [];
  const received = Promise.withResolvers<number>();
  for (const pair of pairs) {
    pair.onReceived((content) => {
      e2e.push(performance.now() - Number(content));
      if (e2e.length === total) received.resolve(performance.now());
    });
  }
  if (!pairs.every((pair) => pair.onDelivered)) {
    return { e2e, all: received.promise.then((at) => ({ received: at })) };
  }
  const ticked = Promise.withResolvers<number>();
  let ticks = 0;
  for (const pair of pairs) {
    pair.onDelivered!(() => ++ticks === total && ticked.resolve(performance.now()));
  }
  const all = Promise.all([received.promise, ticked.promise])
    .then(([received, ticked]) => ({ received, ticked }));
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
  const { received, ticked } = await all;
  const seconds = (Math.max(received, ticked ?? 0) - started) / 1000;
  return {
    messages: total,
    msgPerSec: Math.round(total / seconds),
    ...(ticked === undefined ? {} : { lastTickAfterMs: round(Math.max(0, ticked - received)) }),
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
    // Send k is due at k / rate: at elapsed time t, sends 0 .. floor(t * rate) are due.
    const elapsed = (performance.now() - started) / 1000;
    const due = Math.min(total, Math.floor(elapsed * options.rate) + 1);
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
  const { received, ticked } = await all;
  const seconds = (Math.max(received, ticked ?? 0) - started) / 1000;
  return {
    rate: options.rate,
    messages: total,
    msgPerSec: Math.round(total / seconds),
    ...(ticked === undefined ? {} : { lastTickAfterMs: round(Math.max(0, ticked - received)) }),
    endToEndMs: percentiles(e2e),
    sendAckMs: percentiles(acks),
  };
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
  const socket = await open(
    url,
    { token: b.token },
    (socket) =>
      socket.on("message:received", (m: { seq: number }, ack?: () => void) => {
        ack?.();
        seqs.push(m.seq);
        if (seqs.length === size) finished();
      }),
  );
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
