/**
 * Where the server's jobs (push, the app's events) wait, as `main.ts` opens
 * them: beside MongoDB without RabbitMQ in a KV file of their own in DATA_DIR,
 * where a job outlives the process; in the embedded store's file; and in no
 * file with RabbitMQ or with nothing to send. MongoDB is only named: the jobs
 * never reach it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openKvStore } from "../src/adapters/kv/mod.ts";
import { openJobFile, openJobQueue, ownJobsFile } from "../src/_job_queues.ts";
import { loadConfig } from "../src/config.ts";
import { createLogger } from "../src/log.ts";
import { until } from "./_helpers/client.ts";

const logger = createLogger("error");
const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("job queues: beside MongoDB without RabbitMQ, jobs outlive a restart in DATA_DIR", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "job-queues-" });
  const env = {
    DATA_DIR: dir,
    MONGODB_URL: "mongodb://127.0.0.1:1/chat",
    PUSH_WEBHOOK_URL: "http://127.0.0.1:9/push",
  };
  const config = await loadConfig(env);

  await t.step("a job queued before a stop is run after the start", async () => {
    const file = await openJobFile(config, undefined);
    const queue = await openJobQueue<{ n: number }>("push.jobs", { config, file, logger });
    await queue.publish({ n: 1 });
    await queue.close();
    await file?.close();
    assert.equal(ownJobsFile(config), join(dir, "jobs.kv"));
    assert.ok(await exists(join(dir, "jobs.kv")));

    const again = await openJobFile(config, undefined);
    const restarted = await openJobQueue<{ n: number }>("push.jobs", {
      config,
      file: again,
      logger,
    });
    const ran: number[] = [];
    await restarted.consume((job) => (ran.push(job.n), Promise.resolve()));
    await until("the job from before the stop", () => ran.length === 1);
    assert.deepEqual(ran, [1]);
    assert.equal(await restarted.waiting(), 0);
    await restarted.close();
    await again?.close();
  });

  await t.step("with RabbitMQ, or nothing to send: no file", async () => {
    const other = await Deno.makeTempDir({ prefix: "job-queues-" });
    const rabbit = await loadConfig({ ...env, DATA_DIR: other, AMQP_URL: "amqp://127.0.0.1" });
    assert.equal(await openJobFile(rabbit, undefined), undefined);
    const quiet = await loadConfig({ DATA_DIR: other, MONGODB_URL: env.MONGODB_URL });
    assert.equal(await openJobFile(quiet, undefined), undefined);
    assert.equal(await exists(join(other, "jobs.kv")), false);
    await Deno.remove(other, { recursive: true });
  });

  await t.step("embedded: the store's own file", async () => {
    const store = await openKvStore({ path: join(dir, "chat.kv") });
    assert.equal(await openJobFile(await loadConfig({ DATA_DIR: dir }), store), store);
    await store.close();
  });
  await Deno.remove(dir, { recursive: true });
});
