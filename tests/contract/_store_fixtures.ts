/**
 * Records the store contract's suites build: users, chats and messages with
 * unique ids, so the steps of one store never collide.
 * @module
 */
import type { ChatRecord, MessageRecord, UserRecord } from "../../src/core/types.ts";

/** Now as an ISO string. */
export const now = () => new Date().toISOString();
let n = 0;
const uid = (p: string) => `${p}-${++n}-${crypto.randomUUID().slice(0, 8)}`;

/** A new user record with unique names. */
export function user(name = uid("u")): UserRecord {
  return {
    id: uid("id"),
    username: name,
    email: `${name}@example.com`,
    displayName: name,
    passwordHash: "x",
    createdAt: now(),
  };
}

/** A new chat record of these participants. */
export function chat(type: "direct" | "group", participantIds: string[]): ChatRecord {
  return {
    id: uid("chat"),
    type,
    participantIds,
    createdAt: now(),
    createdBy: participantIds[0],
    lastSeq: 0,
    lastActivityAt: now(),
  };
}

/** A new message to append. */
export function draft(chatId: string, senderId: string, clientMsgId = uid("c")) {
  return {
    id: crypto.randomUUID(),
    clientMsgId,
    chatId,
    senderId,
    content: "hi",
    createdAt: now(),
  };
}

/** The reference an ack or a receipt carries. */
export const ref = (m: MessageRecord) => ({
  chatId: m.chatId,
  seq: m.seq,
  messageId: m.id,
  senderId: m.senderId,
});
