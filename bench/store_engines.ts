/**
 * The store's share of the online relay, in two engines: the KV store as the
 * server uses it (`src/adapters/kv/`), and node:sqlite on a worker thread
 * (`bench/_sqlite_store.ts`, a prototype of the send and ack path). No sockets and
 * no cipher: PAIRS senders each keep WINDOW sends in flight to one recipient, and
 * each stored message is acknowledged at once, as a device would.
 *
 * `deno run -A bench/store_engines.ts kv|sqlite` prints messages per second, the
 * CPU per message by thread (the main thread is what limits the server), KB
 * written per message and the send's latency. With `RATE=2000` the sends are
 * paced at that many per second for ten seconds, as at middle load. Run the engines alternately: the
 * machine's speed swings over minutes. docs/benchmarks.md has the figures.
 * @module
 */
import { openKvStore } from "../src/adapters/kv/mod.ts";
import { uuidv7 } from "../src/core/_ids.ts";
import type { Store } from "../src/core/ports.ts";
import { perMessage, readCpu } from "./_cpu.ts";
import { SqliteWorkerStore } from "./_sqlite_store.ts";

const engine = Deno.args[0] ?? "kv";
const RATE = Number(Deno.env.get("RATE") ?? "0");
const WARMUP = Number(Deno.env.get("WARMUP") ?? "10000");
const [PAIRS, WINDOW] = [50, 10];
const MEASURED = RATE > 0 ? RATE * 10 : 60_000;
// About the length of a 180-character message once encrypted at rest (enc1.<key>.<iv>.<data>).
const CONTENT = "x".repeat(260);

/** The two calls of the hot path, whichever engine is under them. */
interface Engine {
  addChat(id: string, a: string, b: string): Promise<void>;
  append(chatId: string, senderId: string): Promise<number>;
  ack(userId: string, chatId: string, seq: number, senderId: string): Promise<boolean>;
  close(): Promise<void>;
}

let sent = 0;
const draft = (chatId: string, senderId: string) => ({
  id: uuidv7(),
  clientMsgId: `c${++sent}`,
  chatId,
  senderId,
  content: CONTENT,
  createdAt: new Date().toISOString(),
});

function kvEngine(store: Store): Engine {
  const at = () => new Date().toISOString();
  const user = (id: string) => ({
    id,
    username: id,
    email: `${id}@example.com`,
    displayName: id,
    passwordHash: "x",
    createdAt: at(),
  });
  return {
    async addChat(id, a, b) {
      await Promise.all([store.users.create(user(a)), store.users.create(user(b))]);
      const chat = {
        id,
        type: "direct" as const,
        participantIds: [a, b],
        createdBy: a,
        lastSeq: 0,
      };
      await store.chats.createDirect({ ...chat, createdAt: at(), lastActivityAt: at() });
    },
    async append(chatId, senderId) {
      return (await store.messages.append(draft(chatId, senderId))).message.seq;
    },
    async ack(userId, chatId, seq, senderId) {
      const ref = { chatId, seq, messageId: "", senderId };
      return (await store.messages.markDelivered(userId, [ref], at())).length === 1;
    },
    close: () => store.close(),
  };
}

function sqliteEngine(store: SqliteWorkerStore): Engine {
  return {
    addChat: (id, a, b) =>
      store.addChat({ id, participantIds: [a, b], createdAt: new Date().toISOString() }),
    append: (chatId, senderId) => store.append(draft(chatId, senderId)),
    ack: (userId, chatId, seq) => store.markDelivered({ userId, chatId, seq }),
    close: () => Promise.resolve(store.close()),
  };
}

/**
 * Sends `total` messages over the pairs, each acknowledged once stored; returns
 * each send's latency in ms. Unpaced, each sender keeps WINDOW sends in flight;
 * with RATE, the pairs together start RATE sends a second, whatever is in flight.
 */
async function load(db: Engine, pairs: string[][], total: number): Promise<number[]> {
  const latencies: number[] = [];
  const perSender = Math.ceil(total / pairs.length);
  const one = async ([chatId, a, b]: string[]) => {
    const t0 = performance.now();
    const seq = await db.append(chatId, a);
    latencies.push(performance.now() - t0);
    if (!(seq > 0) || !await db.ack(b, chatId, seq, a)) {
      throw new Error(`Cannot acknowledge seq ${seq} of ${chatId}`);
    }
  };
  await Promise.all(pairs.map(async (pair, p) => {
    if (RATE > 0) {
      const every = (pairs.length / RATE) * 1000;
      const start = performance.now() + (p * every) / pairs.length;
      const sends: Promise<void>[] = [];
      for (let i = 0; i < perSender; i++) {
        const due = start + i * every - performance.now();
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due)));
        sends.push(one(pair));
      }
      return void await Promise.all(sends);
    }
    let started = 0;
    const lane = async () => {
      while (started++ < perSender) await one(pair);
    };
    await Promise.all(Array.from({ length: WINDOW }, lane));
  }));
  return latencies;
}

const written = async () =>
  Number((await Deno.readTextFile("/proc/self/io")).match(/write_bytes: (\d+)/)![1]);

const dir = await Deno.makeTempDir({ prefix: "store-engines-" });
const db = engine === "sqlite"
  ? sqliteEngine(await SqliteWorkerStore.open(`${dir}/store.sqlite`))
  : kvEngine(await openKvStore({ path: `${dir}/store.kv` }));
const pairs = Array.from({ length: PAIRS }, () => [uuidv7(), uuidv7(), uuidv7()]);
for (const [chatId, a, b] of pairs) await db.addChat(chatId, a, b);
await load(db, pairs, WARMUP);

const [cpu, bytes, t0] = [readCpu(Deno.pid), await written(), performance.now()];
const latencies = await load(db, pairs, MEASURED);
const seconds = (performance.now() - t0) / 1000;
const perMsg = perMessage(cpu, readCpu(Deno.pid), latencies.length);
const kb = ((await written()) - bytes) / latencies.length / 1024;
latencies.sort((x, y) => x - y);
const at = (p: number) => latencies[Math.floor(latencies.length * p)].toFixed(1);
console.log(
  `${engine.padEnd(6)} ${
    Math.round(latencies.length / seconds)
  } msg/s; µs per message: main ${perMsg.main}, blocking ${perMsg.blocking}, V8 ${perMsg.v8Workers}, other ${perMsg.other}; ${
    kb.toFixed(1)
  } KB written per message; send p50 ${at(0.5)} / p99 ${at(0.99)} ms`,
);
await db.close();
await Deno.remove(dir, { recursive: true });
