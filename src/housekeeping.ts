/**
 * Work on timers that no request triggers: announcing the users of a node that
 * died as offline, finishing account deletions that were cut short, removing
 * uploads never sent, and deleting disappearing messages whose time is up. Every node runs it; each task is safe to run twice at once.
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
  if (options.presenceSweepMs) {
    // Devices of a node that died expire; some node must announce those users offline.
    timers.push(setInterval(() => {
      // A Redis outage is logged once by the dependency watcher, not every sweep.
      core.presence.sweep().catch(() => {});
    }, options.presenceSweepMs));
  }
  let finishing: Promise<void> | undefined;
  const finishDeletions = async () => {
    try {
      const count = await core.accounts.finishDeletions(new Date(Date.now() - DELETION_GRACE_MS));
      if (count > 0) logger.info("unfinished account deletions finished", { count });
    } catch (error) {
      // The next round tries again: every step of a deletion can be done twice.
      logger.warn("cannot finish account deletions", { error: String(error) });
    } finally {
      finishing = undefined;
    }
  };
  const round = () => {
    finishing ??= finishDeletions();
  };
  round();
  timers.push(setInterval(round, DELETION_SWEEP_MS));
  let sweeping: Promise<void> | undefined;
  const sweepFiles = async () => {
    try {
      const count = await core.files.sweep();
      if (count > 0) logger.info("unsent uploads removed", { count });
    } catch (error) {
      logger.warn("cannot remove unsent uploads", { error: String(error) });
    } finally {
      sweeping = undefined;
    }
  };
  const sweepRound = () => {
    sweeping ??= sweepFiles();
  };
  sweepRound();
  timers.push(setInterval(sweepRound, FILE_SWEEP_MS));
  let expiring: Promise<void> | undefined;
  const expire = async () => {
    try {
      // A backlog (a node down for a while) goes in rounds of the sweep's limit.
      while (await core.timers.expire() === EXPIRY_BATCH);
    } catch (error) {
      logger.warn("cannot delete expired messages", { error: String(error) });
    } finally {
      expiring = undefined;
    }
  };
  // At start too: what came due while no node ran goes at once.
  const expiryRound = () => {
    expiring ??= expire();
  };
  expiryRound();
  timers.push(setInterval(expiryRound, EXPIRY_SWEEP_MS));
  return {
    async stop() {
      timers.forEach(clearInterval);
      await Promise.all([finishing, sweeping, expiring]);
    },
  };
}
