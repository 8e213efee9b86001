/**
 * The indexes the MongoDB store's queries need, and the unique ones that decide
 * races (one direct chat per pair, one message per seq and per client id).
 * Each says which reads it serves; partial ones hold only the documents those
 * reads look for.
 * @module
 */
import { type Collections, UNERASED } from "./_collections.ts";

/** Creates the indexes (idempotent). */
export async function ensureIndexes(c: Collections): Promise<void> {
  await Promise.all([
    c.users.createIndex({ usernameLower: 1 }, { unique: true }),
    c.users.createIndex({ emailLower: 1 }, { unique: true }),
    // Only deletions in progress: the sweep that finishes them reads no tombstone.
    c.users.createIndex({ deletedAt: 1 }, { partialFilterExpression: UNERASED }),
    c.friends.createIndex({ userId: 1 }),
    c.blocks.createIndex({ userId: 1 }),
    c.blocks.createIndex({ blockedId: 1 }),
    // Revoked token ids go away once the token would have expired anyway.
    c.revoked.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 }),
    c.chats.createIndex({ directKey: 1 }, {
      unique: true,
      partialFilterExpression: { directKey: { $exists: true } },
    }),
    c.members.createIndex({ userId: 1 }),
    c.messages.createIndex({ chatId: 1, seq: 1 }, { unique: true }),
    c.messages.createIndex({ senderId: 1, clientMsgId: 1 }, { unique: true }),
    // Counting the messages that address a user: only those that mention or reply.
    c.messages.createIndex({ chatId: 1, mentions: 1, seq: 1 }, {
      partialFilterExpression: { mentions: { $exists: true } },
    }),
    c.messages.createIndex({ chatId: 1, "replyTo.senderId": 1, seq: 1 }, {
      partialFilterExpression: { replyTo: { $exists: true } },
    }),
    // Disappearing messages by when they go; only they carry an expiresAt.
    c.messages.createIndex({ expiresAt: 1 }, {
      partialFilterExpression: { expiresAt: { $exists: true } },
    }),
    // The change log: only messages that were ever changed carry a changeSeq.
    c.messages.createIndex({ chatId: 1, changeSeq: 1 }, {
      partialFilterExpression: { changeSeq: { $exists: true } },
    }),
    // The seed's compound pending index: recipient + status, then order of delivery.
    c.receipts.createIndex({ userId: 1, status: 1, chatId: 1, seq: 1 }),
    c.receipts.createIndex({ userId: 1, chatId: 1, seq: 1 }),
    c.reports.createIndex({ once: 1 }, { unique: true }),
    // The operators read one user's reports, newest first.
    c.reports.createIndex({ userId: 1, _id: -1 }),
    // The operators' queue: open reports (no resolution), newest first.
    c.reports.createIndex({ "resolution.resolvedAt": 1, _id: -1 }),
    // Each user's stars, the latest first.
    c.stars.createIndex({ userId: 1, id: -1 }),
    c.invites.createIndex({ code: 1 }, { unique: true }),
    // MongoDB's TTL monitor drops a login some time after its last token expired.
    c.sessions.createIndex({ expires: 1 }, { expireAfterSeconds: 0 }),
    c.sessions.createIndex({ userId: 1 }),
    // The sweep's lists, oldest first: uploads never claimed, and claims not yet seen sent.
    c.files.createIndex({ createdAt: 1 }, { partialFilterExpression: { unclaimed: true } }),
    c.files.createIndex({ claimedAt: 1 }, { partialFilterExpression: { unsent: true } }),
  ]);
}
