/**
 * What a viewer who sends no read receipts sees of statuses: their own messages
 * show delivered at most; other people's messages, and everything for a viewer
 * who sends receipts, show as stored.
 */
import assert from "node:assert/strict";
import type { StoredMessage } from "../../src/core/types.ts";
import { toMessageView, viewerOf } from "../../src/core/views.ts";

function stored(senderId: string, read: number): StoredMessage {
  return {
    id: `m-${senderId}-${read}`,
    clientMsgId: "c",
    chatId: "chat",
    senderId,
    seq: 1,
    content: "hi",
    createdAt: "2026-12-06T00:00:00.000Z",
    recipientIds: ["r1", "r2"],
    counts: { delivered: 2, read },
  };
}

Deno.test("views: a viewer who hides reads sees none on their own messages", () => {
  const hiding = viewerOf({ id: "alice", readReceipts: false });
  const sending = viewerOf({ id: "alice" });
  const status = (m: StoredMessage, viewer = hiding) => toMessageView(m, false, viewer).status;
  assert.equal(status(stored("alice", 2)), "delivered", "hers, read by all");
  assert.equal(status(stored("bob", 2)), "read", "someone else's");
  assert.equal(status(stored("alice", 1)), "delivered", "not read by all anyway");
  assert.equal(status(stored("alice", 2), sending), "read", "with receipts on");
  assert.equal(toMessageView(stored("alice", 2), false).status, "read", "no viewer given");
});
