/**
 * Jobs (push notifications, the app's events) in the embedded store's KV file,
 * so that a restart does not lose them: each job is an entry under a
 * time-ordered id, deleted once its handler is done with it (sent, or given up).
 *
 * Several processes may open one file (the multi-node setup without MongoDB), so
 * a process claims a job before it runs it, with a lease under an atomic check:
 * a job runs on one process at a time. The process renews its leases while the
 * jobs run (a retry may wait for minutes); a process that dies leaves its jobs
 * to the others, or to itself restarted, once `leaseMs` passes. One that closes
 * hands back the jobs it had not finished at once.
 *
 * Deno KV's own queue (`enqueue`/`listenQueue`) was tried first: on the local
 * file it lost the jobs a process held when it closed, and those it had taken in
 * but not started, so it cannot keep this promise.
 * @module
 */
import { uuidv7 } from "../../core/_ids.ts";
import type { JobQueue } from "../../core/ports.ts";
import { BatchedWrites } from "./_batched_writes.ts";
import { type ClaimedJob, claimFree, isClaimed, type StoredJob } from "./_job_claims.ts";

/** Options of a KV job queue. */
export interface KvJobQueueOptions {
  /**
   * The embedded store's handle on its file. A second handle in the same process
   * found the file locked while the first wrote ("database is locked", seen here).
   */
  kv: Deno.Kv;
  /** What the jobs are, as in "push.jobs": their entries are under `["jobs", name]`. */
  name: string;
  /** Jobs run at once by this process (default 4). */
  concurrency?: number;
  /** How long a claim lasts unless renewed (default 30 s): a dead process's jobs wait this long. */
  leaseMs?: number;
  /** How often to look for jobs queued by other processes, or whose lease ran out (default 1 s). */
  pollMs?: number;
  /** `waiting()` reads at most this many entries (default 10,000), so a scrape stays cheap. */
  countLimit?: number;
  onError?: (error: unknown) => void;
}

/** A job this process runs; its versionstamp is its latest claim's (renewals move it). */
interface Held<T> extends ClaimedJob<T> {
  /** Settles once the job is deleted or handed back. */
  done?: Promise<void>;
}

/** A durable job queue on a Deno KV file. */
export class KvJobQueue<T> implements JobQueue<T> {
  #kv: Deno.Kv;
  #writes: BatchedWrites;
  #prefix: Deno.KvKey;
  #concurrency: number;
  #leaseMs: number;
  #pollMs: number;
  #countLimit: number;
  #onError: (error: unknown) => void;
  #handler: ((job: T) => Promise<void>) | null = null;
  #held = new Map<string, Held<T>>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #claiming: Promise<void> | null = null;
  #again = false;
  #renewing: Promise<void> = Promise.resolve();
  #renewedAt = 0;

  /** Creates the queue on the store's handle, which closing the queue leaves open. */
  constructor(options: KvJobQueueOptions) {
    const kv = this.#kv = options.kv;
    this.#writes = new BatchedWrites(kv);
    this.#prefix = ["jobs", options.name];
    this.#concurrency = options.concurrency ?? 4;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#pollMs = options.pollMs ?? 1000;
    this.#countLimit = options.countLimit ?? 10_000;
    this.#onError = options.onError ?? (() => {});
  }

  async publish(job: T): Promise<void> {
    // Jobs queued together (a push per offline member of a group) share commits.
    await this.#writes.set([...this.#prefix, uuidv7()], { job } satisfies StoredJob<T>);
    this.#pump();
  }

  consume(handler: (job: T) => Promise<void>): Promise<void> {
    this.#handler = handler;
    this.#timer = setInterval(() => {
      // Renewed after a third of the lease: a claim stays well ahead of its end.
      if (Date.now() - this.#renewedAt >= this.#leaseMs / 3) {
        this.#renewedAt = Date.now();
        this.#renewing = this.#renew().catch(this.#onError);
      }
      this.#pump();
    }, this.#pollMs);
    this.#pump();
    return Promise.resolve();
  }

  // Counts up to `countLimit` entries: past the alert line (1,000) the exact figure
  // matters less than a scrape that reads the whole queue every 15 s.
  async waiting(): Promise<number> {
    const now = Date.now();
    let count = 0;
    const limit = this.#countLimit;
    for await (const entry of this.#kv.list<StoredJob<T>>({ prefix: this.#prefix }, { limit })) {
      if (!isClaimed(entry.value, now)) count++;
    }
    return count;
  }

  async close(): Promise<void> {
    this.#handler = null;
    clearInterval(this.#timer);
    await this.#claiming;
    await Promise.allSettled([...this.#held.values()].map((held) => held.done));
    await this.#renewing;
  }

  // One pass of claiming at a time; a pass asked for meanwhile runs after it.
  #pump(): void {
    if (this.#claiming) {
      this.#again = true;
      return;
    }
    this.#claiming = this.#claim().catch(this.#onError).finally(() => {
      this.#claiming = null;
      if (this.#again) {
        this.#again = false;
        this.#pump();
      }
    });
  }

  async #claim(): Promise<void> {
    // A job claimed as the queue closes runs all the same: the closing worker hands it back.
    const handler = this.#handler;
    const room = this.#concurrency - this.#held.size;
    if (!handler || room <= 0) return;
    const until = Date.now() + this.#leaseMs;
    const mine = (id: string) => this.#held.has(id);
    // Pages as small as a pass needs: the first free jobs come right after the ones this process
    // holds, and a pass runs per job done. KV's default page decoded more whole jobs than that;
    // this one took 5% off the server's CPU per event (three runs alternated, 364-380 against
    // 378-404 µs per message with events).
    const pageSize = this.#concurrency + 16;
    const options = { room, until, mine, pageSize };
    const { claimed, more } = await claimFree<T>(this.#kv, this.#prefix, options);
    for (const job of claimed) {
      this.#held.set(job.id, job);
      this.#run(job.id, job, handler);
    }
    // More were free than one commit holds: another pass at once.
    if (more) this.#again = true;
  }

  #run(id: string, held: Held<T>, handler: (job: T) => Promise<void>): void {
    held.done = handler(held.job).then(() => true, () => false)
      .then(async (finished) => {
        // Jobs done together are deleted in shared commits.
        if (finished) return void await this.#writes.delete(held.key);
        // Not finished (this process is closing): handed back, unless the claim lapsed already.
        await this.#renewing;
        const op = this.#kv.atomic().check({ key: held.key, versionstamp: held.versionstamp });
        await op.set(held.key, { job: held.job } satisfies StoredJob<T>).commit();
      })
      .catch(this.#onError)
      .finally(() => {
        this.#held.delete(id);
        this.#pump();
      });
  }

  async #renew(): Promise<void> {
    const until = Date.now() + this.#leaseMs;
    for (const held of this.#held.values()) {
      const claimed: StoredJob<T> = { job: held.job, lease: { until } };
      const result = await this.#kv.atomic()
        .check({ key: held.key, versionstamp: held.versionstamp })
        .set(held.key, claimed)
        .commit();
      // A claim that lapsed (this process stalled) may be another's now: the job may run twice.
      if (result.ok) held.versionstamp = result.versionstamp;
    }
  }
}
