/**
 * Reports in Deno KV: one entry per report under its time-ordered id, and one
 * key per (reporter, user, message) that makes a repeated report return the
 * first.
 * @module
 */
import type { ReportStore } from "../../core/ports.ts";
import type { ReportRecord } from "../../core/types.ts";
import { keys, retry } from "./_util.ts";

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
        .commit();
      return result.ok ? { report, created: true } : undefined;
    });
  }

  async list(options: { limit: number; before?: string }): Promise<ReportRecord[]> {
    const prefix = keys.reports();
    const selector = options.before ? { prefix, end: keys.report(options.before) } : { prefix };
    const reports: ReportRecord[] = [];
    for await (
      const entry of this.#kv.list<ReportRecord>(selector, {
        limit: options.limit,
        reverse: true,
      })
    ) {
      reports.push(entry.value);
    }
    return reports;
  }
}
