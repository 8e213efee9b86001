/**
 * The bare Socket.IO relay's side of the bench (bench/bare_relay.ts): its idle
 * sockets' memory, and the relay kept running beside our server.
 * @module
 */
import { spawnServer } from "../tests/_helpers/server.ts";
import { barePair, connectPairs } from "./_load.ts";
import { idle } from "./memory.ts";
import { collectGarbage } from "./_profile.ts";
import { paced, relay } from "./scenarios.ts";
import { withCpu } from "./_cpu.ts";

const BARE_RELAY = new URL("bare_relay.ts", import.meta.url).pathname;

/**
 * The bare relay's RSS with `sockets` idle sockets, on a fresh relay as ours are
 * measured; its inspector listens at `inspect` for the full GC before reading.
 */
export async function bareIdle(options: { sockets: number; inspect: string }) {
  const relayServer = await spawnServer({}, {
    main: BARE_RELAY,
    denoArgs: [`--inspect=${options.inspect}`],
  });
  try {
    const auths = Array.from({ length: options.sockets }, (_, i) => ({ id: `idle${i}` }));
    const idle10k = await idle(relayServer.url, relayServer.pid, {
      auths,
      devices: 1,
      gc: () => collectGarbage(options.inspect),
    });
    return { idle10k };
  } finally {
    await relayServer.kill();
  }
}

/** How the relay beside ours runs: its pairs, the closed-loop sizes and the light rate. */
export interface CeilingOptions {
  pairs: number;
  relay: { perSender: number; window: number };
  lightRate: number;
}

/**
 * The bare relay, warmed and kept running beside our server, so that each of our
 * online runs has a ceiling run right before it. The machine's speed swings over
 * minutes (the relay measured 12,040 and 21,712 msg/s an hour apart; within one
 * bench, the load generator spent 79 µs per message in one mode and 132 in the
 * other for the same work), so a ceiling taken once at the start was compared with
 * runs made minutes later on a different machine, in effect.
 */
export async function openCeiling(options: CeilingOptions) {
  const relayServer = await spawnServer({}, { main: BARE_RELAY });
  const pairs = await connectPairs(options.pairs, (i) => barePair(relayServer.url, i));
  await relay(pairs, options.relay); // warm-up, as for ours
  return {
    run: () => withCpu(relayServer.pid, () => relay(pairs, options.relay)),
    /** The relay at the light load, for the latency of the stack itself. */
    light: () => paced(pairs, { rate: options.lightRate, seconds: 5 }),
    async close() {
      for (const pair of pairs) pair.close();
      await relayServer.kill();
    },
  };
}

/** The relay running beside ours. */
export type Ceiling = Awaited<ReturnType<typeof openCeiling>>;
