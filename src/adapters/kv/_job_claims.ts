/**
 * Claiming jobs in the KV file for the job queue (job_queue.ts): a claim is a
 * lease written under an atomic check, so of two processes that read a free job
 * only one claims it. The free jobs of a pass are claimed in one commit: one
 * claim per commit held a node near 1,300 jobs a second, since every commit
 * waits for the file's one writer (10,000 events to a receiver of its own,
 * measured here; 2,100 a second with shared commits and 32 jobs at once).
 * @module
 */
import { CommitBudget, keyBytes } from "./_budget.ts";

/** A job as stored. */
export interface StoredJob<T> {
  job: T;
  /** The claim of the process running it: others leave it alone until then (epoch ms). */
  lease?: { until: number };
}

/** Whether a process's claim on `stored` is still live at `now` (epoch ms). */
export function isClaimed(stored: StoredJob<unknown>, now: number): boolean {
  return stored.lease !== undefined && stored.lease.until > now;
}

/** A job claimed: the versionstamp of the claim proves it still this process's own. */
export interface ClaimedJob<T> {
  id: string;
  key: Deno.KvKey;
  job: T;
  versionstamp: string;
}

/**
 * Claims the first `room` jobs under `prefix` that nobody holds (and `mine`
 * does not name), until `until`, as many as one commit holds; `more` says
 * that more were free than it held. Reads pages of `pageSize` entries.
 */
export async function claimFree<T>(
  kv: Deno.Kv,
  prefix: Deno.KvKey,
  options: { room: number; until: number; mine: (id: string) => boolean; pageSize: number },
): Promise<{ claimed: ClaimedJob<T>[]; more: boolean }> {
  const now = Date.now();
  const budget = new CommitBudget();
  const free: Deno.KvEntry<StoredJob<T>>[] = [];
  let more = false;
  for await (const entry of kv.list<StoredJob<T>>({ prefix }, { batchSize: options.pageSize })) {
    if (options.mine(idOf(entry)) || isClaimed(entry.value, now)) continue;
    const cost = { checks: 1, mutations: 1, keyBytes: keyBytes(entry.key) };
    if (!budget.take({ ...cost, bytes: JSON.stringify(entry.value).length + 32 })) {
      more = true;
      break;
    }
    free.push(entry);
    if (free.length === options.room) break;
  }
  const claim = (op: Deno.AtomicOperation, entry: Deno.KvEntry<StoredJob<T>>) =>
    op.check(entry).set(entry.key, { job: entry.value.job, lease: { until: options.until } });
  const all = kv.atomic();
  for (const entry of free) claim(all, entry);
  const together = free.length > 0 ? await all.commit() : { ok: false as const };
  const claimed: ClaimedJob<T>[] = [];
  for (const entry of free) {
    // Another process claimed one of them meanwhile: each of the others on its own.
    const result = together.ok ? together : await claim(kv.atomic(), entry).commit();
    if (!result.ok) continue;
    const { key, value } = entry;
    claimed.push({ id: idOf(entry), key, job: value.job, versionstamp: result.versionstamp });
  }
  return { claimed, more };
}

// A job's id: the last part of its key.
const idOf = (entry: Deno.KvEntry<unknown>) => String(entry.key.at(-1));
