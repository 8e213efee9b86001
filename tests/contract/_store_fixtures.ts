/**
 * Records the store contract's suites build: users, chats and messages with
 * unique ids, so the steps of one store never collide.
 * @module
 */
import type { FileRecord, Store } from "../../src/core/ports.ts";
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

/** Three new users, stored, and a group of them. */
export async function groupOfThree(store: Store) {
  const [x, y, z] = [user(), user(), user()];
  for (const u of [x, y, z]) await store.users.create(u);
  const g = await store.chats.createGroup(chat("group", [x.id, y.id, z.id]));
  return { x, y, z, g };
}

/** A new file record of `size` bytes, uploaded at `createdAt`. */
export const fileRecord = (size: number, createdAt = now()): FileRecord => ({
  id: `file-${crypto.randomUUID()}`,
  chatId: "chat-1",
  uploaderId: "u1",
  name: "photo.jpg",
  type: "image/jpeg",
  size,
  createdAt,
});

/** `size` random bytes (getRandomValues fills at most 64 KiB at a time). */
export function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i += 65_536) crypto.getRandomValues(out.subarray(i, i + 65_536));
  return out;
}
