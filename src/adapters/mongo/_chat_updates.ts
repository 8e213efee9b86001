/**
 * Changes of a chat's settings as MongoDB updates of its document (a group's
 * profile, pins, roles and permissions). Each runs as one update of its own
 * fields, so a change is all or nothing, and leaves lastSeq to the sends that
 * $inc it at the same moment. A filter that matches nothing means there was
 * nothing to change (or no room for it).
 * @module
 */
import type { Document, Filter, UpdateFilter } from "mongodb";
import type { GroupProfile } from "../../core/ports.ts";
import type { GroupPermissions } from "../../core/types.ts";
import type { ChatDoc } from "./_collections.ts";

const PROFILE_FIELDS = ["name", "description", "avatar"] as const;

/** An update and the filter it runs under. */
export type ChatUpdate = { filter: Filter<ChatDoc>; update: UpdateFilter<ChatDoc> | Document[] };

/**
 * The update with the chat's `version` one higher in the same write. A pipeline
 * (an update of several steps) counts in a last step of its own.
 */
export function counted({ filter, update }: ChatUpdate): ChatUpdate {
  if (!Array.isArray(update)) return { filter, update: { ...update, $inc: { version: 1 } } };
  const version = { $add: [{ $ifNull: ["$version", 0] }, 1] };
  return { filter, update: [...update, { $set: { version } }] };
}

/**
 * Sets the profile's given fields and removes those given as null. The filter
 * matches only when one of them would change: the same name again counts no version.
 */
export function profileUpdate(chatId: string, profile: GroupProfile): ChatUpdate {
  const set: Record<string, string> = {};
  const unset: Record<string, ""> = {};
  const differs: Filter<ChatDoc>[] = [];
  for (const field of PROFILE_FIELDS) {
    const value = profile[field];
    if (value === null) unset[field] = "";
    else if (value !== undefined) set[field] = value;
    if (value !== undefined) {
      differs.push({ [field]: value === null ? { $exists: true } : { $ne: value } });
    }
  }
  const update = { $set: set, $unset: unset } as UpdateFilter<ChatDoc>;
  if (Object.keys(unset).length === 0) delete update.$unset;
  if (Object.keys(set).length === 0) delete update.$set;
  const filter: Filter<ChatDoc> = { _id: chatId };
  if (differs.length > 0) filter.$or = differs; // MongoDB refuses an empty $or
  return { filter, update };
}

/** Pins a message first (when not pinned, and fewer than `max` are), or unpins it. */
export function pinUpdate(
  chatId: string,
  messageId: string,
  options: { pinned: boolean; max: number },
): ChatUpdate {
  return options.pinned
    ? {
      filter: {
        _id: chatId,
        pinned: { $ne: messageId },
        [`pinned.${options.max - 1}`]: { $exists: false },
      },
      update: { $push: { pinned: { $each: [messageId], $position: 0 } } },
    }
    : { filter: { _id: chatId, pinned: messageId }, update: { $pull: { pinned: messageId } } };
}

/**
 * Adds a participant at the end. The chat's lastSeq at the moment of the $push is
 * where their history starts. The filter makes a member already there (or added by
 * a racing call), or a group of `max` already, match nothing.
 */
export function addMemberUpdate(chatId: string, userId: string, max: number): ChatUpdate {
  return {
    filter: {
      _id: chatId,
      participantIds: { $ne: userId },
      [`participantIds.${max - 1}`]: { $exists: false },
    },
    update: { $push: { participantIds: userId } },
  };
}

/**
 * Makes a participant an admin, or no longer one. $push keeps the order admins
 * were made in; the filter makes a repeat or a non-participant match nothing.
 */
export function adminUpdate(chatId: string, userId: string, admin: boolean): ChatUpdate {
  return admin
    ? {
      filter: { _id: chatId, participantIds: userId, admins: { $ne: userId } },
      update: { $push: { admins: userId } },
    }
    : { filter: { _id: chatId, admins: userId }, update: { $pull: { admins: userId } } };
}

/** Sets the chat's disappearing-message timer, or takes it away (null); matches only a change. */
export function timerUpdate(chatId: string, seconds: number | null): ChatUpdate {
  return seconds === null
    ? {
      filter: { _id: chatId, messageTimer: { $exists: true } },
      update: { $unset: { messageTimer: "" } },
    }
    : {
      filter: { _id: chatId, messageTimer: { $ne: seconds } },
      update: { $set: { messageTimer: seconds } },
    };
}

/**
 * One path per permission: two admins setting different ones keep both. The
 * filter matches only when one of them would change.
 */
export function permissionsUpdate(chatId: string, change: Partial<GroupPermissions>): ChatUpdate {
  const paths = Object.entries(change).map(([key, value]) => [`permissions.${key}`, value]);
  const filter: Filter<ChatDoc> = { _id: chatId };
  if (paths.length > 0) filter.$or = paths.map(([path, value]) => ({ [path]: { $ne: value } }));
  return { filter, update: { $set: Object.fromEntries(paths) } };
}

/**
 * Hands the group to `to` and makes `from` its last admin: `admins` loses one
 * and gains the other at once (two update operators on one path are refused).
 */
export function handOverUpdate(
  chatId: string,
  handover: { from: string; to: string },
): ChatUpdate {
  const { from, to } = handover;
  const others = {
    $filter: {
      input: { $ifNull: ["$admins", []] },
      cond: { $not: [{ $in: ["$$this", [from, to]] }] },
    },
  };
  return {
    filter: { _id: chatId, participantIds: to },
    update: [{ $set: { ownerId: to, admins: { $concatArrays: [others, [from]] } } }],
  };
}

/**
 * Takes a member out with their roles: an owner's first admin succeeds them
 * (`ownerId`), as `ownerOf` reads it; with no admin, `ownerId` goes and the
 * longest-standing participant owns the group.
 */
export function removeMemberUpdate(chatId: string, userId: string): ChatUpdate {
  const without = (path: string) => ({
    $filter: { input: { $ifNull: [path, []] }, cond: { $ne: ["$$this", userId] } },
  });
  const owner = { $ifNull: ["$ownerId", { $arrayElemAt: ["$participantIds", 0] }] };
  const successor = { $arrayElemAt: ["$admins", 0] };
  const update = [
    {
      $set: {
        wasOwner: { $eq: [owner, userId] },
        participantIds: without("$participantIds"),
        admins: without("$admins"),
      },
    },
    {
      $set: {
        ownerId: { $cond: ["$wasOwner", { $ifNull: [successor, "$$REMOVE"] }, "$ownerId"] },
        admins: {
          $cond: [
            "$wasOwner",
            { $filter: { input: "$admins", cond: { $ne: ["$$this", successor] } } },
            "$admins",
          ],
        },
      },
    },
    { $unset: "wasOwner" },
  ];
  // Only while they are a participant: removing again counts no version.
  return { filter: { _id: chatId, participantIds: userId }, update };
}
