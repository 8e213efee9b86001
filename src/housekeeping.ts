/**
 * Work on timers that no request triggers: announcing the users of a node that
 * died as offline, finishing account deletions that were cut short, removing
 * uploads never sent, and deleting disappearing messages whose time is up.
 * Every node runs it; each task is safe to run twice at once.
 * @module
 */
import type { Core, Logger } from "./core/mod.ts";
import { EXPIRY_BATCH } from "./core/timers.ts";

// A deletion younger than this is left to the request doing it, which would
// otherwise race the sweep through the same steps and send its events twice.
const DELETION_GRACE_MS = 60_000;
// Unfinished deletions are rare (a crash mid-request): a look every few minutes
// is one cheap read of an index that is empty almost always.
const DELETION_SWEEP_MS = 5 * 60_000;
// Uploads wait a day for their message (core/files.ts): an hourly look keeps them
// at most an hour past that, for one indexed read when there is nothing to do.
const FILE_SWEEP_MS = 60 * 60_000;
// Clients drop a disappearing message at its expiresAt themselves; the server deletes
// it for everyone within this much after (one indexed read when nothing is due).
const EXPIRY_SWEEP_MS = 10_000;

/** Which tasks run, and where they log. */
export interface HousekeepingOptions {
  /** How often to sweep presence for dead nodes' devices; none without Redis. */
  presenceSweepMs?: number;
  /** Where failures and finished deletions are logged. */
  logger: Logger;
}

/** Starts the timers; `stop` clears them and waits for a round still running. */
export function startHousekeeping(
  core: Core,
  options: HousekeepingOptions,
): { stop(): Promise<void> } {
  const { logger } = options;
  const timers: ReturnType<typeof setInterval>[] = [];
  const running = new Set<Promise<void>>();
  // A task runs as the node starts, then every `ms`; a round never overlaps the one
  // before, and a failure is logged and tried again next round (every task can be
  // done twice).
  const every = (ms: number, failure: string, task: () => Promise<void>) => {
    let current: Promise<void> | undefined;
    const round = () => {
      current ??= task()
        .catch((error) => logger.warn(failure, { error: String(error) }))
        .finally(() => {
          running.delete(current!);
          current = undefined;
        });
      running.add(current);
    };
    round();
    timers.push(setInterval(round, ms));
  };
  if (options.presenceSweepMs) {
    // Devices of a node that died expire; some node must announce those users offline.
    timers.push(setInterval(() => {
      // A Redis outage is logged once by the dependency watcher, not every sweep.
      core.presence.sweep().catch(() => {});
    }, options.presenceSweepMs));
  }
  every(DELETION_SWEEP_MS, "cannot finish account deletions", async () => {
    const count = await core.accounts.finishDeletions(new Date(Date.now() - DELETION_GRACE_MS));
    if (count > 0) logger.info("unfinished account deletions finished", { count });
  });
  every(FILE_SWEEP_MS, "cannot remove unsent uploads", async () => {
    const count = await core.files.sweep();
    if (count > 0) logger.info("unsent uploads removed", { count });
  });
  // At start too: what came due while no node ran goes at once; a backlog (a node down
  // for a while) goes in rounds of the sweep's limit.
  every(EXPIRY_SWEEP_MS, "cannot delete expired messages", async () => {
    while (await core.timers.expire() === EXPIRY_BATCH);
  });
  return {
    async stop() {
      timers.forEach(clearInterval);
      await Promise.all(running);
    },
  };
}
