/**
 * A CPU profile of the server while a scenario runs, through the V8 inspector
 * (the server is started with `--inspect`): where the time per message goes.
 * @module
 */
import { round } from "./_load.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** Self time by area of the code and by function, in percent of samples. */
export interface ProfileSummary {
  /** Share of samples not idle: near 100 means the server was CPU-bound. */
  busyPercent: number;
  byArea: Record<string, number>;
  topFunctions: { fn: string; percent: number }[];
}

// Which part of the product a frame belongs to, by its source URL.
const AREAS: [string, RegExp][] = [
  ["validation (zod)", /zod/],
  ["socket.io / engine.io / ws", /socket\.io|engine\.io|\/ws@|socket\.io-parser/],
  ["store (adapters/kv)", /adapters\/kv|adapters\/crypto/],
  ["delivery core", /src\/core/],
  ["socket handlers", /src\/socket/],
  ["presence / redis / rabbitmq", /adapters\/(redis|rabbitmq|memory)|ioredis|amqplib/],
  ["runtime (node compat, timers, streams)", /^ext:|^node:/],
];

/** A DevTools protocol session with the process whose inspector listens at `host`. */
async function inspect(host: string) {
  const targets = await (await fetch(`http://${host}/json/list`)).json();
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let id = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  ws.onmessage = (event) => {
    const reply = JSON.parse(event.data);
    waiting.get(reply.id)?.(reply.result);
  };
  return {
    call: (method: string, params = {}) =>
      new Promise<unknown>((resolve) => {
        waiting.set(++id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

/**
 * Runs a full garbage collection in that process, so that its RSS shows what it
 * keeps rather than garbage V8 has not collected yet. Returns the MB the V8 heap
 * then holds: what of the RSS is JavaScript objects, as opposed to native memory
 * (the KV file's SQLite pages, socket buffers, the allocator's arenas).
 */
export async function collectGarbage(host: string): Promise<number> {
  const session = await inspect(host);
  await session.call("HeapProfiler.collectGarbage");
  const { usedSize } = await session.call("Runtime.getHeapUsage") as { usedSize: number };
  session.close();
  return round(usedSize / 1024 ** 2);
}

/** Starts profiling the process whose inspector listens at `host` (host:port). */
export async function startProfile(host: string): Promise<() => Promise<ProfileSummary>> {
  const { call, close } = await inspect(host);
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: 200 });
  await call("Profiler.start");
  return async () => {
    const { profile } = await call("Profiler.stop") as {
      profile: { nodes: ProfileNode[]; samples: number[] };
    };
    close();
    return summarize(profile.nodes, profile.samples);
  };
}

function summarize(nodes: ProfileNode[], samples: number[]): ProfileSummary {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  for (const sample of samples) {
    const { functionName, url, lineNumber } = byId.get(sample)!.callFrame;
    if (functionName === "(idle)") continue;
    busy++;
    const area = functionName.startsWith("(")
      ? functionName
      : url === ""
      ? "native (socket writes, KV ops, crypto, serializer)"
      : AREAS.find(([, re]) => re.test(url))?.[0] ?? "other";
    areas.set(area, (areas.get(area) ?? 0) + 1);
    const short = url.replace(/^.*\/(node_modules|registry\.npmjs\.org|src)\//, "");
    const fn = `${functionName || "(anonymous)"} ${short}:${lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + 1);
  }
  const percent = (n: number) => round((n / Math.max(1, busy)) * 100);
  return {
    busyPercent: round((busy / Math.max(1, samples.length)) * 100),
    byArea: Object.fromEntries(
      [...areas].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, percent(v)]),
    ),
    topFunctions: [...fns].sort((a, b) => b[1] - a[1]).slice(0, 15)
      .map(([fn, n]) => ({ fn, percent: percent(n) })),
  };
}
