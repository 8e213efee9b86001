/**
 * A process that claims one job of a KV job queue and never finishes it: the
 * test kills it (SIGKILL) to see its claim lapse. Prints "held" once it runs the job.
 * Usage: deno run -A tests/adapters/kv/_hold_job.ts <kv file> <lease ms>
 */
import { openKvStore } from "../../../src/adapters/kv/mod.ts";

const [path, leaseMs] = Deno.args;
const store = await openKvStore({ path });
const queue = store.jobQueue<unknown>({ name: "held", leaseMs: Number(leaseMs), pollMs: 20 });
await queue.consume(() => {
  console.log("held");
  return new Promise(() => {});
});
