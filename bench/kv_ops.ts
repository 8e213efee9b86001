/**
 * What Deno KV costs the main thread per mutation: the synchronous part of
 * building and committing an atomic operation of 64 mutations, on a KV file.
 * The commit's SQLite work runs on the blocking pool and is not counted here.
 * docs/benchmarks.md uses these figures to explain the store's share of a message.
 *
 * `deno run -A bench/kv_ops.ts` prints µs per mutation: building (values are
 * V8-serialized here) and the commit call (the op's argument conversion).
 * @module
 */
const dir = await Deno.makeTempDir({ prefix: "kv-ops-" });
const kv = await Deno.openKv(`${dir}/ops.kv`);
const chatId = crypto.randomUUID();
const userId = crypto.randomUUID();
const PER_COMMIT = 64;
const COMMITS = 300;
const record = {
  id: crypto.randomUUID(),
  chatId,
  senderId: userId,
  content: "x".repeat(80),
  createdAt: new Date().toISOString(),
  seq: 1,
};

type Build = (op: Deno.AtomicOperation, i: number) => void;

const CASES: [string, Build][] = [
  ["set, 4-part key, number value", (op, i) => op.set(["p", userId, chatId, i], 1)],
  ["set, 3-part key, record value", (op, i) => op.set(["m", chatId, i], record)],
  ["set, 3-part key, Uint8Array value", (op, i) => op.set(["m", chatId, i], new Uint8Array(8))],
  ["set, 3-part key, KvU64 value", (op, i) => op.set(["m", chatId, i], new Deno.KvU64(1n))],
  ["delete, 4-part key", (op, i) => op.delete(["p", userId, chatId, i])],
  [
    "check, 4-part key",
    (op, i) => op.check({ key: ["p", userId, chatId, -i], versionstamp: null }),
  ],
];

/** Milliseconds spent building and in the commit call, over all commits of one case. */
async function measure(build: Build): Promise<{ building: number; committing: number }> {
  let building = 0;
  let committing = 0;
  for (let round = 0; round < COMMITS; round++) {
    const op = kv.atomic();
    const t0 = performance.now();
    for (let i = 0; i < PER_COMMIT; i++) build(op, round * PER_COMMIT + i);
    const t1 = performance.now();
    const done = op.commit();
    const t2 = performance.now();
    await done;
    building += t1 - t0;
    committing += t2 - t1;
  }
  return { building, committing };
}

// A first pass warms the JIT and the file; the second is printed.
for (const [, build] of CASES) await measure(build);
const us = (ms: number) => ((ms / COMMITS / PER_COMMIT) * 1000).toFixed(2).padStart(6);
console.log("µs per mutation on the main thread:");
for (const [label, build] of CASES) {
  const { building, committing } = await measure(build);
  console.log(`  ${label.padEnd(36)} build ${us(building)}  commit call ${us(committing)}`);
}
kv.close();
await Deno.remove(dir, { recursive: true });
