/**
 * The benchmark's memory scenarios: server RSS with idle sockets and with queued
 * messages, each read after a full GC (through `gc`) so it counts what is kept.
 * @module
 */
import { directChat, register } from "../tests/_helpers/client.ts";
import { fill, open, pool, round, rssMb, sleep } from "./_load.ts";

/** RSS growth with queued messages: over the first `messages`, then over as many more. */
export interface QueuedResult {
  messages: number;
  rssGrowthMb: number;
  rssGrowthNextMb: number;
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

/** Server RSS growth while `count` messages queue for one offline user. */
export async function queued(
  url: string,
  pid: number,
  options: { count: number; gc: () => Promise<number> },
): Promise<QueuedResult> {
  const { count } = options;
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
  // A second batch on top: growth that does not repeat is bounded caches filling
  // (the KV file's page cache, allocator arenas), not a cost per queued message.
  await fill(url, a.token, chatId, count);
  const second = await settled();
  return {
    messages: count,
    rssGrowthMb: round(first.rss - before.rss),
    rssGrowthNextMb: round(second.rss - first.rss),
    heapGrowthMb: round(first.heap - before.heap),
    heapGrowthNextMb: round(second.heap - first.heap),
    fillMsgPerSec,
  };
}
