/**
 * Extension: reports of abuse and users as the operators see them, and the
 * schemas of what users and operators send about them.
 * @module
 */
import { z } from "zod";
import { id } from "./_fields.ts";

/** Why a user reports another (extension): what moderation queues sort by. */
export const reportReasons = ["spam", "harassment", "inappropriate", "other"] as const;

/** `POST /api/reports` (extension): a user, or a message of theirs, reported to the operators. */
export const reportSchema = z.object({
  userId: id,
  messageId: id.optional(),
  reason: z.enum(reportReasons),
  note: z.string().trim().max(500).optional(),
});

/**
 * `GET /api/admin/reports` query (extension): newest first, below `cursor`, of
 * `userId`'s, `open` (not resolved) or `resolved` ones.
 */
export const listReportsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: id.optional(),
  userId: id.optional(),
  status: z.enum(["open", "resolved"]).optional(),
});

/** `PUT /api/admin/reports/:reportId/resolution` (extension): what the operators did. */
export const resolveReportSchema = z.object({
  action: z.enum(["actioned", "dismissed"]),
  note: z.string().trim().max(500).optional(),
});

/** `GET /api/admin/users` query (extension): the user with this username or email. */
export const findUserQuery = z.object({ login: z.string().trim().min(1).max(254) });

/** `PUT /api/admin/users/:userId/suspension` (extension): why, in the operators' words. */
export const suspensionSchema = z.object({ reason: z.string().trim().min(1).max(500) });

/** Report input (extension). */
export type ReportInput = z.infer<typeof reportSchema>;
/** Why a user reports another (extension). */
export type ReportReason = (typeof reportReasons)[number];
/** What the operators did about a report (extension). */
export type ResolveReportInput = z.infer<typeof resolveReportSchema>;

/**
 * Extension: a report of a user, or of a message of theirs, as the operators
 * see it (`GET /api/admin/reports`).
 */
export interface ReportView {
  /** Time-ordered: newer reports have greater ids. */
  id: string;
  reporterId: string;
  /** The reported user. */
  userId: string;
  reason: ReportReason;
  note?: string;
  /**
   * The reported message as it was when reported, so the evidence outlives an
   * edit or a delete by its sender.
   */
  message?: { id: string; chatId: string; seq: number; content: string; createdAt: string };
  createdAt: string;
  /** Set once the operators dealt with the report; an open report has none. */
  resolution?: ReportResolution;
}

/** Extension: what the operators did about a report. */
export interface ReportResolution {
  /** `actioned`: they acted (suspended, took down); `dismissed`: nothing to act on. */
  action: "actioned" | "dismissed";
  note?: string;
  resolvedAt: string;
}

/**
 * Extension: a user as the operators see them (`/api/admin/users/:userId`):
 * the account's state, beyond what other users see.
 */
export interface AdminUserView {
  id: string;
  username: string;
  /** None for an account of the app's identity provider. */
  email?: string;
  displayName: string;
  createdAt: string;
  /** Set on an account of the app's identity provider (it logs in through the app). */
  external?: true;
  lastSeen?: string;
  /** Set while the account is being deleted, and on what is left of it after. */
  deletedAt?: string;
  /** Set while the operators keep the user out. */
  suspension?: { reason: string; suspendedAt: string };
}
