/**
 * A group's roles and permissions as changes of its chat record: each function
 * answers the record as it should be next, or the same record when nothing
 * changes (then nothing is written). `KvChatStore` writes them with the check
 * that orders them against sends, and with the chat's version counted
 * (`counted`).
 * @module
 */
import { ownerOf } from "../../core/roles.ts";
import type { ChatRecord, GroupPermissions } from "../../core/types.ts";

/** The chat after one more change: its `version` one higher. */
export function counted(chat: ChatRecord): ChatRecord {
  return { ...chat, version: (chat.version ?? 0) + 1 };
}

/** The chat with a participant made an admin (last) or no longer one. */
export function withAdmin(chat: ChatRecord, userId: string, admin: boolean): ChatRecord {
  const admins = chat.admins ?? [];
  if (admins.includes(userId) === admin || !chat.participantIds.includes(userId)) return chat;
  return withAdmins(chat, admin ? [...admins, userId] : admins.filter((id) => id !== userId));
}

/** The chat handed to the participant `to`, the owner until now (`from`) its last admin. */
export function handedOver(chat: ChatRecord, handover: { from: string; to: string }): ChatRecord {
  const { from, to } = handover;
  if (!chat.participantIds.includes(to)) return chat;
  const admins = (chat.admins ?? []).filter((id) => id !== from && id !== to);
  return { ...withAdmins(chat, [...admins, from]), ownerId: to };
}

/** The chat without a member and their roles; an owner's first admin succeeds them. */
export function withoutMember(chat: ChatRecord, userId: string): ChatRecord {
  const { ownerId: _, ...rest } = chat;
  const admins = (chat.admins ?? []).filter((id) => id !== userId);
  const participantIds = chat.participantIds.filter((id) => id !== userId);
  if (ownerOf(chat) !== userId) return withAdmins({ ...chat, participantIds }, admins);
  const [successor, ...others] = admins;
  const left = withAdmins({ ...rest, participantIds }, others);
  return successor ? { ...left, ownerId: successor } : left;
}

/** The chat with the named permissions set and the others as they were. */
export function withPermissions(
  chat: ChatRecord,
  change: Partial<GroupPermissions>,
): ChatRecord {
  const permissions = { ...chat.permissions, ...change };
  const same = Object.entries(change).every(([key, value]) =>
    chat.permissions?.[key as keyof GroupPermissions] === value
  );
  return same ? chat : { ...chat, permissions };
}

// The chat with these admins, without the field when there are none.
function withAdmins(chat: ChatRecord, admins: string[]): ChatRecord {
  const { admins: _, ...rest } = chat;
  return admins.length > 0 ? { ...rest, admins } : rest;
}
