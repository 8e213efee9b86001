/**
 * The benchmark's memory scenarios: server RSS with idle sockets and with queued
 * messages, each read after a full GC (through `gc`) so it counts what is kept.
 * @module
 */
import { directChat, register } from "../tests/_helpers/client.ts";
import { fill, open, pool, round, rssMb, sleep } from "./_load.ts";

/**
 * RSS growth with queued messages: over the first `messages`, then per as many
 * more, averaged over `rounds` further batches (one batch swings by a few MB
 * with the allocator; the mean over several is the cost per message).
 */
export interface QueuedResult {
  messages: number;
  rssGrowthMb: number;
  rssGrowthNextMb: number;
  /** Each further batch's growth, for the spread behind the mean. */
  rssGrowthBatchesMb: number[];
  /** Of those growths, what the V8 heap (JavaScript objects) grew by: the rest is native. */
  heapGrowthMb: number;
  heapGrowthNextMb: number;
  fillMsgPerSec: number;
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
  options: { auths: Record<string, unknown>[]; devices: number; gc?: () => Promise<unknown> },
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

/** Server RSS growth while `count` messages queue for one offline user, then `rounds` × more. */
export async function queued(
  url: string,
  pid: number,
  options: { count: number; rounds: number; gc: () => Promise<number> },
): Promise<QueuedResult> {
  const { count, rounds } = options;
  const [a, b] = [await register(url, "qa"), await register(url, "qb")];
  const chatId = await directChat(url, a, b);
  await fill(url, a.token, chatId, 1000); // warm up code paths and caches first
  const settled = async () => {
    await sleep(2000);
    const heap = await options.gc();
    return { rss: await rssMb(pid), heap };
  };
  const before = await settled();
  const started = performance.now();
  await fill(url, a.token, chatId, count);
  const fillMsgPerSec = Math.round(count / ((performance.now() - started) / 1000));
  const first = await settled();
  // More batches on top: growth that does not repeat is bounded caches filling
  // (SQLite's page cache, allocator arenas), not a cost per queued message.
  const batches: number[] = [];
  let last = first;
  for (let i = 0; i < rounds; i++) {
    await fill(url, a.token, chatId, count);
    const now = await settled();
    batches.push(round(now.rss - last.rss));
    last = now;
  }
  return {
    messages: count,
    rssGrowthMb: round(first.rss - before.rss),
    rssGrowthNextMb: round((last.rss - first.rss) / rounds),
    rssGrowthBatchesMb: batches,
    heapGrowthMb: round(first.heap - before.heap),
    heapGrowthNextMb: round((last.heap - first.heap) / rounds),
    fillMsgPerSec,
  };
}
