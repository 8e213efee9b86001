/**
 * The in-process job queue runs the job queue contract; it keeps nothing across a restart.
 */
import { MemoryJobQueue } from "../../../src/adapters/memory/mod.ts";
import { jobQueueContract, type TestJob } from "../../contract/job_queue.ts";

jobQueueContract("memory", () =>
  Promise.resolve({
    open: () => Promise.resolve(new MemoryJobQueue<TestJob>()),
    cleanup: () => Promise.resolve(),
  }), { durable: false });
