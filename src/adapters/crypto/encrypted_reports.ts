/**
 * A report store that keeps the reported message's copy encrypted at rest, as
 * the message itself is, around any other report store.
 * @module
 */
import type { ReportListOptions, ReportStore } from "../../core/ports.ts";
import type { ReportRecord, ReportResolution } from "../../core/types.ts";
import type { Keyring } from "./keyring.ts";

// The copy is bound to its report, so a ciphertext moved onto another does not open.
const contextOf = (report: ReportRecord) => `report:${report.id}`;

/** Wraps a report store so that the copy of a reported message is stored encrypted. */
export class EncryptedReportStore implements ReportStore {
  #inner: ReportStore;
  #keyring: Keyring;

  /** Creates the wrapper. */
  constructor(inner: ReportStore, keyring: Keyring) {
    this.#inner = inner;
    this.#keyring = keyring;
  }

  async #seal(report: ReportRecord): Promise<ReportRecord> {
    if (!report.message) return report;
    const content = await this.#keyring.encrypt(report.message.content, contextOf(report));
    return { ...report, message: { ...report.message, content } };
  }

  async #open(report: ReportRecord): Promise<ReportRecord> {
    if (!report.message) return report;
    const content = await this.#keyring.decrypt(report.message.content, contextOf(report));
    return { ...report, message: { ...report.message, content } };
  }

  async add(report: ReportRecord): Promise<{ report: ReportRecord; created: boolean }> {
    const result = await this.#inner.add(await this.#seal(report));
    return result.created
      ? { report, created: true }
      : { ...result, report: await this.#open(result.report) };
  }

  async resolve(id: string, resolution: ReportResolution): Promise<ReportRecord | null> {
    const report = await this.#inner.resolve(id, resolution);
    return report && await this.#open(report);
  }

  async list(options: ReportListOptions): Promise<ReportRecord[]> {
    return await Promise.all((await this.#inner.list(options)).map((r) => this.#open(r)));
  }
}
