/**
 * The job queue contract: every `JobQueue` implementation runs this suite. A
 * durable queue also keeps a job whose handler did not finish (its node was
 * closing) for the next consumer, and consumers sharing one queue each run a
 * job once.
 * @module
 */
import assert from "node:assert/strict";
import type { JobQueue } from "../../src/core/ports.ts";
import { sleep, until, within } from "../_helpers/client.ts";

/** The jobs of the suite. */
export interface TestJob {
  n: number;
}

/** What a suite opens: queues on one backing (one file, one RabbitMQ queue), and its cleanup. */
export interface JobQueueSetup {
  /** Opens another queue on the same backing, as another node (or the same node restarted) would. */
  open: () => Promise<JobQueue<TestJob>>;
  cleanup: () => Promise<void>;
}

/** Options of the job queue suite. */
export interface JobQueueContractOptions {
  /** Jobs outlive a queue closed (and a node restarted). */
  durable: boolean;
  ignore?: boolean;
}

/** Registers the job queue contract suite under `name`. */
export function jobQueueContract(
  name: string,
  setup: () => Promise<JobQueueSetup>,
  options: JobQueueContractOptions,
): void {
  Deno.test({
    name: `job queue contract: ${name}`,
    ignore: options.ignore,
    fn: async (t) => {
      const { open, cleanup } = await setup();

      await t.step("the jobs no consumer took yet are counted", async () => {
        const queue = await open();
        for (let n = 1; n <= 3; n++) await queue.publish({ n: -n });
        assert.equal(await queue.waiting(), 3);
        let runs = 0;
        await queue.consume(() => {
          runs++;
          return Promise.resolve();
        });
        await until("the three ran", () => runs === 3);
        await until("none wait", async () => await queue.waiting() === 0);
        await queue.close();
      });

      await t.step("jobs queued before and while consuming each run once", async () => {
        const queue = await open();
        const seen: number[] = [];
        await queue.publish({ n: 1 });
        await queue.publish({ n: 2 });
        await queue.consume((job) => {
          seen.push(job.n);
          return Promise.resolve();
        });
        await queue.publish({ n: 3 });
        await until("three jobs ran", () => seen.length === 3);
        await sleep(100);
        assert.deepEqual(seen.sort(), [1, 2, 3]);
        await queue.close();
      });

      await t.step(
        "a burst queued at once (more than one KV commit holds) each run once",
        async () => {
          const queue = await open();
          const seen = new Set<number>();
          let runs = 0;
          await queue.consume((job) => {
            runs++;
            seen.add(job.n);
            return Promise.resolve();
          });
          const burst = Array.from({ length: 1200 }, (_, n) => queue.publish({ n }));
          await within(Promise.all(burst), "every publish settled");
          await until("every job ran", () => runs >= 1200, 20_000);
          await sleep(100);
          assert.equal(runs, 1200);
          assert.equal(seen.size, 1200);
          await queue.close();
        },
      );

      await t.step("closing waits for the jobs running", async () => {
        const queue = await open();
        const events: string[] = [];
        await queue.consume(async () => {
          events.push("started");
          await sleep(150);
          events.push("finished");
        });
        await queue.publish({ n: 4 });
        await until("the job started", () => events.length === 1);
        await queue.close();
        events.push("closed");
        assert.deepEqual(events, ["started", "finished", "closed"]);
      });

      if (!options.durable) return void await cleanup();

      await t.step("a job not finished as its queue closed runs on the next one", async () => {
        const first = await open();
        let cutShort = () => {};
        const started: number[] = [];
        await first.consume((job) => {
          started.push(job.n);
          return new Promise((_, reject) => cutShort = () => reject(new Error("closing")));
        });
        await first.publish({ n: 5 });
        await until("the job started", () => started.length === 1);
        const closed = first.close();
        cutShort();
        await closed;
        const second = await open();
        const seen: number[] = [];
        await second.consume((job) => {
          seen.push(job.n);
          return Promise.resolve();
        });
        await until("the next queue ran it", () => seen.length === 1);
        assert.deepEqual(seen, [5]);
        await second.close();
      });

      await t.step("two consumers of one queue run each job once", async () => {
        const [a, b] = [await open(), await open()];
        const seen: number[] = [];
        const handler = async (job: TestJob) => {
          await sleep(5);
          seen.push(job.n);
        };
        await a.consume(handler);
        await b.consume(handler);
        for (let n = 100; n < 140; n++) await (n % 2 ? a : b).publish({ n });
        await until("every job ran", () => seen.length >= 40);
        await sleep(300);
        assert.equal(seen.length, 40);
        assert.equal(new Set(seen).size, 40);
        await a.close();
        await b.close();
      });

      await cleanup();
    },
  });
}
