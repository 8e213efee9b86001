/**
 * A group's roles as MongoDB pipeline updates of its chat document: each runs
 * as one update, so a role change is all or nothing, and leaves lastSeq to the
 * sends that $inc it at the same moment.
 * @module
 */
import type { Document } from "mongodb";

/**
 * Hands the group to `to` and makes `from` its last admin: `admins` loses one
 * and gains the other at once (two update operators on one path are refused).
 */
export function handOverUpdate(handover: { from: string; to: string }): Document[] {
  const { from, to } = handover;
  const others = {
    $filter: {
      input: { $ifNull: ["$admins", []] },
      cond: { $not: [{ $in: ["$$this", [from, to]] }] },
    },
  };
  return [{ $set: { ownerId: to, admins: { $concatArrays: [others, [from]] } } }];
}

/**
 * Takes a member out with their roles: an owner's first admin succeeds them
 * (`ownerId`), as `ownerOf` reads it; with no admin, `ownerId` goes and the
 * longest-standing participant owns the group.
 */
export function removeMemberUpdate(userId: string): Document[] {
  const without = (path: string) => ({
    $filter: { input: { $ifNull: [path, []] }, cond: { $ne: ["$$this", userId] } },
  });
  const owner = { $ifNull: ["$ownerId", { $arrayElemAt: ["$participantIds", 0] }] };
  const successor = { $arrayElemAt: ["$admins", 0] };
  return [
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
}
