/**
 * Reports in Deno KV: one entry per report under its time-ordered id, an index
 * of each user's reports and one of the reports still open, and one key per
 * (reporter, user, message) that makes a repeated report return the first.
 * @module
 */
import type { ReportListOptions, ReportStore } from "../../core/ports.ts";
import type { ReportRecord, ReportResolution } from "../../core/types.ts";
import { getAll, keys, retry } from "./_util.ts";

// Reports read per round trip when a list goes through an index of ids.
const PAGE = 100;

/** The report store on Deno KV. */
export class KvReportStore implements ReportStore {
  #kv: Deno.Kv;

  /** Creates the store on an open KV handle. */
  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  add(report: ReportRecord): Promise<{ report: ReportRecord; created: boolean }> {
    const once = keys.reportOnce(report.reporterId, report.userId, report.message?.id ?? "");
    return retry("add report", async () => {
      const first = await this.#kv.get<string>(once);
      if (first.value) {
        const found = await this.#kv.get<ReportRecord>(keys.report(first.value));
        if (found.value) return { report: found.value, created: false };
      }
      // The check on the key keeps two identical reports at once from both landing.
      const result = await this.#kv.atomic().check(first)
        .set(once, report.id)
        .set(keys.report(report.id), report)
        .set(keys.reportAbout(report.userId, report.id), true)
        .set(keys.reportOpen(report.id), true)
        .commit();
      return result.ok ? { report, created: true } : undefined;
    });
  }

  resolve(id: string, resolution: ReportResolution): Promise<ReportRecord | null> {
    return retry("resolve report", async () => {
      const entry = await this.#kv.get<ReportRecord>(keys.report(id));
      if (!entry.value) return null;
      const report = { ...entry.value, resolution };
      const result = await this.#kv.atomic().check(entry)
        .set(entry.key, report)
        .delete(keys.reportOpen(id))
        .commit();
      return result.ok ? report : undefined;
    });
  }

  async list(options: ReportListOptions): Promise<ReportRecord[]> {
    const { userId, before, limit, status } = options;
    // One user's reports come from their index, open ones of everyone from the open
    // index; the status of the rest is read off each report.
    const source = userId !== undefined
      ? keys.reportsAbout(userId)
      : status === "open"
      ? keys.reportsOpen()
      : undefined;
    const reports: ReportRecord[] = [];
    for await (const report of this.#newestFirst(source, before)) {
      if (status !== undefined && (status === "open") !== !report.resolution) continue;
      reports.push(report);
      if (reports.length === limit) break;
    }
    return reports;
  }

  // The reports below `before`, newest first: all of them, or those of an index
  // whose keys end in report ids.
  async *#newestFirst(index: Deno.KvKey | undefined, before?: string) {
    const prefix = index ?? keys.reports();
    // Either list ends in the report id, so `before` bounds both the same way.
    const selector = before ? { prefix, end: [...prefix, before] } : { prefix };
    const entries = this.#kv.list<ReportRecord>(selector, { reverse: true, batchSize: PAGE });
    if (!index) {
      for await (const entry of entries) yield entry.value;
      return;
    }
    let ids: string[] = [];
    for await (const entry of entries) {
      ids.push(entry.key[entry.key.length - 1] as string);
      if (ids.length < PAGE) continue;
      yield* await this.#load(ids);
      ids = [];
    }
    yield* await this.#load(ids);
  }

  // Each report is kept once, in its own entry: an index holds ids only.
  async #load(ids: string[]): Promise<ReportRecord[]> {
    const entries = await getAll<ReportRecord>(this.#kv, ids.map(keys.report));
    return entries.flatMap((entry) => (entry.value ? [entry.value] : []));
  }
}
