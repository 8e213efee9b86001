/**
 * Group invite links (an extension): the objects and the code's schema.
 * @module
 */
import { z } from "zod";

/** A group's invite link, as the members who may add members see it. */
export interface InviteView {
  /** The link's secret: whoever has it may join while the link lives. */
  code: string;
  chatId: string;
  /** The member who made it: the link works while they may add members. */
  createdBy: string;
  createdAt: string;
}

/** What a user holding a code sees of the group before joining. */
export interface InvitePreview {
  chatId: string;
  name?: string;
  memberCount: number;
  /** Whether the caller is in the group already. */
  member: boolean;
}

/** An invite code in a path: 128 bits in base64url. */
export const inviteCodeSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, "Not an invite code");
