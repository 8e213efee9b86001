/**
 * Reports in Deno KV: one entry per report under its time-ordered id, an index
 * of each user's reports, and one key per (reporter, user, message) that makes
 * a repeated report return the first.
 * @module
 */
import type { ReportListOptions, ReportStore } from "../../core/ports.ts";
import type { ReportRecord } from "../../core/types.ts";
import { getAll, keys, retry } from "./_util.ts";

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
        .commit();
      return result.ok ? { report, created: true } : undefined;
    });
  }

  async list(options: ReportListOptions): Promise<ReportRecord[]> {
    const { userId, before, limit } = options;
    // Either list ends in the report id, so `before` bounds both the same way.
    const prefix = userId === undefined ? keys.reports() : keys.reportsAbout(userId);
    const selector = before ? { prefix, end: [...prefix, before] } : { prefix };
    const found: Deno.KvEntry<unknown>[] = [];
    for await (const entry of this.#kv.list(selector, { limit, reverse: true })) found.push(entry);
    if (userId === undefined) return found.map((entry) => entry.value as ReportRecord);
    // The index holds ids only: each report is kept once, in its own entry.
    const ids = found.map((entry) => entry.key[entry.key.length - 1] as string);
    const reports = await getAll<ReportRecord>(this.#kv, ids.map(keys.report));
    return reports.flatMap((entry) => entry.value ? [entry.value] : []);
  }
}
