/**
 * A process that claims one job of a KV job queue and never finishes it: the
 * test kills it (SIGKILL) to see its claim lapse. Prints "held" once it runs the job.
 * Usage: deno run -A tests/adapters/kv/_hold_job.ts <kv file> <lease ms>
 */
import { KvJobQueue } from "../../../src/adapters/kv/job_queue.ts";

const [path, leaseMs] = Deno.args;
const queue = await KvJobQueue.open<unknown>({
  path,
  name: "held",
  leaseMs: Number(leaseMs),
  pollMs: 20,
});
await queue.consume(() => {
  console.log("held");
  return new Promise(() => {});
});
