/**
 * Watching the server from the outside in: each dependency pinged for `/health`
 * and on a timer (a gauge, and one log line when its state changes), and the
 * backlog figures that `/metrics` reads from the store at scrape time.
 * @module
 */
import type { Logger, MessageStore } from "./core/mod.ts";
import type { HealthReport } from "./http/mod.ts";
import type { PrometheusMetrics } from "./metrics.ts";

/** The seed's alert line: a user with more undelivered messages than this needs a look. */
export const BACKLOG_ALERT_LINE = 1000;

// A scrape counts at most this many pending entries, so it stays cheap however big
// the backlog grows; the figures then cover part of it and a warning says so.
const SCAN_LIMIT = 200_000;

/** The health of the store, presence and the offline queue: each pinged, all at once. */
export function healthOf(
  backends: Record<"store" | "presence" | "queue", { ping(): Promise<void> }>,
): () => Promise<HealthReport> {
  const probe = (ping: () => Promise<void>) =>
    ping().then(() => "ok" as const, () => "down" as const);
  return async () => {
    const [store, presence, queue] = await Promise.all([
      probe(() => backends.store.ping()),
      probe(() => backends.presence.ping()),
      probe(() => backends.queue.ping()),
    ]);
    const ok = store === "ok" && presence === "ok" && queue === "ok";
    return { status: ok ? "ok" : "degraded", deps: { store, presence, queue } };
  };
}

/**
 * Checks the dependencies every `intervalMs`: sets `chat_dependency_up` and logs
 * "dependency down" / "dependency recovered" once per change, not per check.
 */
export function watchDependencies(
  health: () => Promise<HealthReport>,
  options: { metrics: PrometheusMetrics; logger: Logger; intervalMs: number },
): { stop(): void } {
  const states = new Map<string, "ok" | "down">();
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      const report = await health();
      for (const [dependency, state] of Object.entries(report.deps)) {
        options.metrics.dependencyUp.set({ dependency }, state === "ok" ? 1 : 0);
        const before = states.get(dependency);
        states.set(dependency, state);
        if (before === state || (before === undefined && state === "ok")) continue;
        if (state === "ok") options.logger.info("dependency recovered", { dependency });
        else options.logger.warn("dependency down", { dependency });
      }
    } finally {
      running = false;
    }
  };
  check();
  const timer = setInterval(check, options.intervalMs);
  return { stop: () => clearInterval(timer) };
}

/**
 * Reads how many jobs wait in each configured job queue into `chat_jobs_waiting`;
 * a queue that cannot tell (its broker down) shows no sample rather than a stale one.
 */
export async function collectJobs(
  queues: Record<string, { waiting(): Promise<number> } | undefined>,
  metrics: PrometheusMetrics,
): Promise<void> {
  await Promise.all(
    Object.entries(queues).map(async ([queue, jobs]) => {
      if (!jobs) return;
      try {
        metrics.jobsWaiting.set({ queue }, await jobs.waiting());
      } catch {
        metrics.jobsWaiting.remove({ queue });
      }
    }),
  );
}

/** Reads the pending counts per user into the backlog metrics. */
export async function collectBacklog(
  messages: MessageStore,
  metrics: PrometheusMetrics,
  logger?: Logger,
): Promise<void> {
  try {
    const { counts, complete } = await messages.pendingCounts({ limit: SCAN_LIMIT });
    metrics.setBacklog(counts, { alertLine: BACKLOG_ALERT_LINE });
    if (!complete) logger?.warn("backlog metrics cover only part of the backlog", { SCAN_LIMIT });
  } catch {
    // The dependency gauge already reports a store that does not answer.
  }
}
