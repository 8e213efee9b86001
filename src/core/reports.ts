/**
 * Reporting abuse, which app stores require of apps with user content beside
 * blocking: a user reports another, or a message of theirs, and the operators
 * read the reports (`GET /api/admin/reports`) to act on them. A report of a
 * message keeps a copy of it as it was, so an edit or a delete by its sender
 * does not take the evidence away. Reporting never tells the reported user.
 * @module
 */
import type { ReportInput, ResolveReportInput } from "../protocol/mod.ts";
import type { ChatService } from "./chats.ts";
import { AccessError, ValidationError } from "./errors.ts";
import type { Limits } from "./limits.ts";
import type { Logger, Metrics, Store } from "./ports.ts";
import type { ReportRecord, ReportResolution } from "./types.ts";
import type { UserService } from "./users.ts";
import { uuidv7 } from "./_ids.ts";

/** Takes reports from users and lists them for the operators. */
export class ReportService {
  #store: Store;
  #users: UserService;
  #chats: ChatService;
  #limits: Limits;
  #logger: Logger;
  #metrics: Metrics;

  /** Creates the service over the store, the user and chat services, the limits, log and metrics. */
  constructor(
    deps: {
      store: Store;
      users: UserService;
      chats: ChatService;
      limits: Limits;
      logger: Logger;
      metrics: Metrics;
    },
  ) {
    this.#store = deps.store;
    this.#users = deps.users;
    this.#chats = deps.chats;
    this.#limits = deps.limits;
    this.#logger = deps.logger;
    this.#metrics = deps.metrics;
  }

  /**
   * Files a report by `reporterId`. A message must be one the reporter can read
   * and the reported user sent. Reporting the same user and message again
   * returns the first report (`created: false`) and does not count against the
   * reporter's limit; every other report does, refused ones included.
   */
  async report(
    reporterId: string,
    input: ReportInput,
  ): Promise<{ report: ReportRecord; created: boolean }> {
    await this.#limits.report(reporterId);
    if (input.userId === reporterId) throw new ValidationError("Cannot report yourself");
    await this.#users.requireLive(input.userId);
    const now = Date.now();
    const report: ReportRecord = {
      id: uuidv7(now),
      reporterId,
      userId: input.userId,
      reason: input.reason,
      createdAt: new Date(now).toISOString(),
    };
    if (input.note) report.note = input.note;
    if (input.messageId) report.message = await this.#copyOf(reporterId, input);
    const result = await this.#store.reports.add(report);
    if (!result.created) {
      await this.#limits.reportRepeated(reporterId);
      return result;
    }
    // The one line operators can alert on; reports themselves are read from the API.
    this.#metrics.count("reports");
    this.#logger.info("user reported", {
      reportId: report.id,
      userId: report.userId,
      reason: report.reason,
    });
    return result;
  }

  /**
   * A page of reports, newest first, for the operators; `cursor` from the
   * previous page; with `userId`, only the reports of that user; with `status`,
   * only those still open or only those resolved.
   */
  async list(
    options: { limit: number; cursor?: string; userId?: string; status?: "open" | "resolved" },
  ): Promise<{ reports: ReportRecord[]; nextCursor: string | null }> {
    const page = await this.#store.reports.list({
      limit: options.limit + 1,
      before: options.cursor,
      userId: options.userId,
      status: options.status,
    });
    const reports = page.slice(0, options.limit);
    const more = page.length > options.limit;
    return { reports, nextCursor: more ? reports[reports.length - 1].id : null };
  }

  /**
   * Records what the operators did about a report, which leaves the open queue;
   * resolving again replaces it. `not_found` for an unknown report.
   */
  async resolve(reportId: string, input: ResolveReportInput): Promise<ReportRecord> {
    const resolution: ReportResolution = {
      action: input.action,
      resolvedAt: new Date().toISOString(),
    };
    if (input.note) resolution.note = input.note;
    const report = await this.#store.reports.resolve(reportId, resolution);
    if (!report) throw new AccessError("not_found", "Report not found");
    this.#logger.info("report resolved", { reportId, action: input.action });
    return report;
  }

  // The reported message as the reporter sees it now; a message from before the
  // reporter joined the chat is one they cannot read, so it is not found.
  async #copyOf(reporterId: string, input: ReportInput): Promise<ReportRecord["message"]> {
    const { message } = await this.#chats.requireMessage(input.messageId!, reporterId);
    if (message.senderId !== input.userId) {
      throw new ValidationError("The message was not sent by the reported user");
    }
    const { id, chatId, seq, content, createdAt } = message;
    return { id, chatId, seq, content, createdAt };
  }
}
