/**
 * Extension: reports of abuse and users as the operators see them.
 * @module
 */
import type { ReportReason } from "./schemas.ts";

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
  email: string;
  displayName: string;
  createdAt: string;
  lastSeen?: string;
  /** Set while the account is being deleted, and on what is left of it after. */
  deletedAt?: string;
  /** Set while the operators keep the user out. */
  suspension?: { reason: string; suspendedAt: string };
}
