/**
 * Reports in MongoDB, under their time-ordered ids; a unique index on the
 * (reporter, user, message) makes a repeated report return the first.
 * @module
 */
import { MongoServerError } from "mongodb";
import type { ReportListOptions, ReportStore } from "../../core/ports.ts";
import type { ReportRecord, ReportResolution } from "../../core/types.ts";
import type { Collections, ReportDoc } from "./_collections.ts";

const DUPLICATE_KEY = 11000;

function toRecord({ _id, once: _o, ...report }: ReportDoc): ReportRecord {
  return report;
}

/** The report store on MongoDB. */
export class MongoReportStore implements ReportStore {
  #c: Collections;

  /** Creates the store on the collections. */
  constructor(c: Collections) {
    this.#c = c;
  }

  async add(report: ReportRecord): Promise<{ report: ReportRecord; created: boolean }> {
    const once = `${report.reporterId}:${report.userId}:${report.message?.id ?? ""}`;
    try {
      await this.#c.reports.insertOne({ ...report, _id: report.id, once });
      return { report, created: true };
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      const first = await this.#c.reports.findOne({ once });
      if (!first) throw error;
      return { report: toRecord(first), created: false };
    }
  }

  async resolve(id: string, resolution: ReportResolution): Promise<ReportRecord | null> {
    const doc = await this.#c.reports.findOneAndUpdate(
      { _id: id },
      { $set: { resolution } },
      { returnDocument: "after" },
    );
    return doc ? toRecord(doc) : null;
  }

  async list(options: ReportListOptions): Promise<ReportRecord[]> {
    // A missing resolution equals null: open reports are found in the index too.
    const resolved = options.status === "open"
      ? { "resolution.resolvedAt": null }
      : options.status === "resolved"
      ? { "resolution.resolvedAt": { $ne: null } }
      : {};
    const filter = {
      ...(options.before && { _id: { $lt: options.before } }),
      ...(options.userId !== undefined && { userId: options.userId }),
      ...resolved,
    };
    const docs = await this.#c.reports.find(filter).sort({ _id: -1 }).limit(options.limit)
      .toArray();
    return docs.map(toRecord);
  }
}
