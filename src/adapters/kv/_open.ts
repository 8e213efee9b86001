/**
 * Opening the embedded store's KV file (its job queues use the store's handle),
 * with writes that wait for another process's lock on the file.
 * @module
 */

/**
 * How long a write, or opening the file, waits for another process's lock before
 * failing. SQLite's lock is held for one commit, milliseconds; this covers a long
 * queue of them from other nodes.
 */
const LOCK_WAIT_MS = 5_000;

/**
 * Opens the KV file at `path`. Processes that open one file at the same moment
 * can find it locked while another sets it up (seen when two nodes start
 * together), and so can every write while another node writes (see `waitingWrites`).
 */
export async function openKvFile(path: string): Promise<Deno.Kv> {
  return waitingWrites(await whileLocked(() => Deno.openKv(path)));
}

/**
 * The handle with its writes tried again while another process holds the file's
 * lock. Nodes sharing one file (the multi-node setup without MongoDB) each commit
 * under SQLite's lock, and Deno KV answers "database is locked" at once rather than
 * wait: a tenth to a quarter of the writes of two busy nodes failed so
 * (tests/cluster/shared_file_test.ts: 90 to 259 of its requests, measured in three runs).
 * A commit refused so wrote nothing, and an atomic operation can be committed again.
 */
function waitingWrites(kv: Deno.Kv): Deno.Kv {
  const [atomic, set, remove] = [kv.atomic.bind(kv), kv.set.bind(kv), kv.delete.bind(kv)];
  kv.atomic = () => {
    const op = atomic();
    const commit = op.commit.bind(op);
    op.commit = () => whileLocked(commit);
    return op;
  };
  kv.set = (key, value, options) => whileLocked(() => set(key, value, options));
  kv.delete = (key) => whileLocked(() => remove(key));
  return kv;
}

// Runs `act` until it does not fail for the file's lock, for up to LOCK_WAIT_MS, waiting a
// random few milliseconds between tries so that the waiting nodes do not try in step.
async function whileLocked<T>(act: () => Promise<T>): Promise<T> {
  const start = Date.now();
  for (let attempt = 1;; attempt++) {
    try {
      return await act();
    } catch (error) {
      const locked = String(error).includes("database is locked");
      if (!locked || Date.now() - start > LOCK_WAIT_MS) throw error;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt))
      );
    }
  }
}
