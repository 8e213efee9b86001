/**
 * One send in a group commit of sends: whether it may be written, the message
 * it becomes, and the entries it adds to the commit.
 * @module
 */
import { AccessError, writeRefusal } from "../../core/errors.ts";
import type { NewMessage } from "../../core/ports.ts";
import {
  addressedBy,
  type ChatRecord,
  expiryOf,
  type MembershipRecord,
  type MessageRecord,
} from "../../core/types.ts";
import { keys } from "./_util.ts";
import type { Slot } from "./_append_slots.ts";
import type { PendingEntry } from "./_pending_cache.ts";

/** Why a send may not be written to its chat, as read for this commit; null when it may. */
export function refusalOf(
  chat: Slot<ChatRecord>,
  member: Slot<MembershipRecord>,
): Error | null {
  if (!chat.entry.value) return new AccessError("not_found", "Chat not found");
  if (!member.entry.value) return new AccessError("forbidden", "Not a participant of this chat");
  return writeRefusal(chat.value);
}

/** The message a send becomes: the chat's next seq, its recipients, and its expiry if any. */
export function messageOf(input: NewMessage, chat: ChatRecord): MessageRecord {
  const recipientIds = chat.participantIds.filter((id) => id !== input.senderId);
  const message: MessageRecord = { ...input, seq: chat.lastSeq + 1, recipientIds };
  const expiresAt = expiryOf(chat, input.createdAt);
  if (expiresAt) message.expiresAt = expiresAt;
  return message;
}

/**
 * Adds a new message's entries to `op`: the message, its id and idempotency key
 * (both pointing at it), a pending entry per recipient, the mentions' and
 * replies' index, and its expiry. Returns the pending entries, for the cache
 * the acks read.
 */
export function writeMessage(
  op: Deno.AtomicOperation,
  message: MessageRecord,
): Omit<PendingEntry, "versionstamp">[] {
  const { chatId, seq } = message;
  const ref = { chatId, seq };
  op.set(keys.message(chatId, seq), message)
    .set(keys.messageId(message.id), ref)
    .set(keys.clientMsg(message.senderId, message.clientMsgId), ref);
  // A pending entry holds the message's number of recipients: acks need it (_counts.ts).
  const recipients = message.recipientIds.length;
  const pending = message.recipientIds.map((userId) => {
    const key = keys.pending(userId, chatId, seq);
    op.set(key, recipients);
    return { key, value: recipients };
  });
  for (const userId of addressedBy(message)) op.set(keys.addressed(userId, chatId, seq), true);
  if (message.expiresAt) op.set(keys.expiring(message.expiresAt, chatId, seq), message.id);
  return pending;
}
