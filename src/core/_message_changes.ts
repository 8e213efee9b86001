/**
 * What an edit, a delete and a reaction do to a message's record. The store
 * runs them inside its atomic update, and again when a concurrent change won
 * (`MessageStore.updateMessage`), so each is a function of the record as it is
 * then, and refuses by throwing.
 * @module
 */
import { MAX_REACTIONS } from "../protocol/mod.ts";
import { AccessError, ConflictError } from "./errors.ts";
import type { MessageRecord } from "./types.ts";

/** The sender's new content; refused to anyone else, and on a deleted message. */
export function edited(
  message: MessageRecord,
  userId: string,
  edit: { content: string; editedAt: string },
): MessageRecord {
  ownedBy(message, userId);
  return { ...message, ...edit };
}

/** The sender's delete: the message's tombstone, refused to anyone else. */
export function deletedBy(message: MessageRecord, userId: string): MessageRecord {
  ownedBy(message, userId);
  return tombstoneOf(message);
}

/**
 * What stays of a deleted message: its place in the chat's order, no content,
 * no files, and no expiry left to wait for.
 */
export function tombstoneOf(
  { attachments: _, expiresAt: __, ...message }: MessageRecord,
): MessageRecord {
  return { ...message, content: "", deleted: true, reactions: {} };
}

/** The user's reaction with `emoji` toggled: added, or taken back. */
export function reacted(message: MessageRecord, userId: string, emoji: string): MessageRecord {
  if (message.deleted) throw new ConflictError("Message was deleted");
  const reactions = { ...(message.reactions ?? {}) };
  if (!reactions[emoji] && Object.keys(reactions).length >= MAX_REACTIONS) {
    throw new ConflictError(`A message has at most ${MAX_REACTIONS} different reactions`);
  }
  const users = reactions[emoji] ?? [];
  reactions[emoji] = users.includes(userId)
    ? users.filter((id) => id !== userId)
    : [...users, userId];
  if (reactions[emoji].length === 0) delete reactions[emoji];
  return { ...message, reactions };
}

function ownedBy(message: MessageRecord, userId: string): void {
  if (message.senderId !== userId) {
    throw new AccessError("forbidden", "Only the sender may change a message");
  }
  if (message.deleted) throw new ConflictError("Message was deleted");
}
