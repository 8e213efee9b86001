/**
 * The KV job queue: the job queue contract on a real file, then the claims that
 * keep a job on one process at a time: a live process renews its claim, and the
 * jobs of a process that died (killed, not closed) go to another once its claim
 * lapses.
 */
import assert from "node:assert/strict";
import { openKvJobFile, openKvStore } from "../../../src/adapters/kv/mod.ts";
import { jobQueueContract, type TestJob } from "../../contract/job_queue.ts";
import { sleep, until } from "../../_helpers/client.ts";

jobQueueContract("deno kv", async () => {
  const dir = await Deno.makeTempDir({ prefix: "jobs-" });
  // Queues of one process share the store's handle, as the server's do.
  const store = await openKvStore({ path: `${dir}/chat.kv` });
  return {
    open: () => Promise.resolve(store.jobQueue<TestJob>({ name: "test", pollMs: 50 })),
    cleanup: async () => {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}, { durable: true });

jobQueueContract("deno kv, a file of jobs only (beside MongoDB)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "jobs-" });
  const file = await openKvJobFile({ path: `${dir}/jobs.kv` });
  return {
    open: () => Promise.resolve(file.jobQueue<TestJob>({ name: "test", pollMs: 50 })),
    cleanup: async () => {
      await file.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}, { durable: true });

Deno.test("kv job queue: a claim holds while its process lives, and lapses when it dies", async () => {
  const dir = await Deno.makeTempDir({ prefix: "jobs-" });
  const path = `${dir}/chat.kv`;
  const leaseMs = 600;
  const store = await openKvStore({ path });
  const queue = store.jobQueue<TestJob>({ name: "held", leaseMs, pollMs: 20 });
  await queue.publish({ n: 1 });
  const holder = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-kv",
      new URL("./_hold_job.ts", import.meta.url).pathname,
      path,
      String(leaseMs),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const output = holder.stdout.pipeThrough(new TextDecoderStream()).getReader();
  assert.match((await output.read()).value ?? "", /held/);

  const seen: number[] = [];
  await queue.consume((job) => {
    seen.push(job.n);
    return Promise.resolve();
  });
  // Three leases long: the holder renews its claim, so the job stays with it.
  await sleep(3 * leaseMs);
  assert.deepEqual(seen, [], "a job claimed by a live process runs nowhere else");

  holder.kill("SIGKILL");
  await holder.status;
  await output.cancel();
  await until("the dead process's job ran here", () => seen.length === 1);
  assert.deepEqual(seen, [1]);
  await queue.close();
  await store.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("kv job queue: the count of waiting jobs stops at its limit", async () => {
  const dir = await Deno.makeTempDir({ prefix: "jobs-" });
  const store = await openKvStore({ path: `${dir}/chat.kv` });
  const queue = store.jobQueue<TestJob>({ name: "many", countLimit: 5 });
  for (let n = 0; n < 8; n++) await queue.publish({ n });
  assert.equal(await queue.waiting(), 5, "at least five");
  const unlimited = store.jobQueue<TestJob>({ name: "many" });
  assert.equal(await unlimited.waiting(), 8);
  await queue.close();
  await unlimited.close();
  await store.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("kv job queue: at most `concurrency` at once, and each job done leaves the file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "jobs-" });
  const path = `${dir}/chat.kv`;
  const store = await openKvStore({ path });
  const queue = store.jobQueue<TestJob>({ name: "done", concurrency: 8, pollMs: 20 });
  for (let n = 0; n < 40; n++) await queue.publish({ n });
  const seen: number[] = [];
  let running = 0;
  let most = 0;
  await queue.consume(async (job) => {
    most = Math.max(most, ++running);
    await sleep(5);
    running--;
    seen.push(job.n);
  });
  await until("all run", () => seen.length === 40);
  assert.equal(most, 8, "claimed together up to the limit, never past it");
  await queue.close();
  await store.close();
  const kv = await Deno.openKv(path);
  const left = await Array.fromAsync(kv.list({ prefix: ["jobs", "done"] }));
  kv.close();
  assert.equal(left.length, 0, "no entry left to run again once its claim lapses");
  await Deno.remove(dir, { recursive: true });
});
