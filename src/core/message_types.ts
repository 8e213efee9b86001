/**
 * Messages and their receipts as the core keeps them in the store, and who a
 * message addresses.
 * @module
 */
import type { AttachmentView } from "../protocol/mod.ts";

/** A message as stored. */
export interface MessageRecord {
  id: string;
  clientMsgId: string;
  chatId: string;
  senderId: string;
  seq: number;
  content: string;
  createdAt: string;
  /** The participants other than the sender when it was sent. */
  recipientIds: string[];
  /** Set by an edit. */
  editedAt?: string;
  /** A tombstone: the content is gone from the store, the seq stays. */
  deleted?: boolean;
  /** Emoji to the ids of users who reacted with it. */
  reactions?: Record<string, string[]>;
  /**
   * Set by every edit, delete or reaction: the chat's change counter, which only
   * grows, so a device can ask for the changes after the last one it has seen.
   */
  changeSeq?: number;
  /** The earlier message of the chat this one replies to (`ReplyRef`). */
  replyTo?: { id: string; seq: number; senderId: string };
  /** Participants the sender mentioned: their push goes through a mute. */
  mentions?: string[];
  /** Forwarded: the sender sent on a message they could read, as it was. */
  forwarded?: true;
  /** Files sent with it; a delete removes them with the content. */
  attachments?: AttachmentView[];
  /**
   * When it disappears: its creation plus the chat's `messageTimer` when the
   * store sequenced it (`expiryOf`); a delete removes it with the content.
   */
  expiresAt?: string;
}

/**
 * How many recipients a message has reached. A recipient removed from the chat
 * counts as done for both, so the aggregate status can still reach "delivered"
 * and "read" with the members who stay.
 */
export interface MessageCounts {
  delivered: number;
  read: number;
}

/** A stored message with its receipt counts. */
export interface StoredMessage extends MessageRecord {
  counts: MessageCounts;
}

/** Points at one message: enough to update its receipts without reading it. */
export interface MessageRef {
  chatId: string;
  seq: number;
  messageId: string;
  senderId: string;
}

/** A recipient receipt that changed state, reported back to the message's sender. */
export interface ReceiptChange extends MessageRef {
  userId: string;
  status: "delivered" | "read";
  at: string;
}

/**
 * Where one recipient of a message stands: "sent" while its pending entry is
 * there, then "delivered" (a device acknowledged), then "read" (the watermark).
 */
export interface RecipientStatus {
  userId: string;
  status: "sent" | "delivered" | "read";
}

/**
 * The recipients a message addresses: those it mentions and the author of the
 * message it replies to (their push goes through a mute, and their chat counts
 * it among `unreadMentions`). Never its sender, nor anyone no longer in the chat.
 */
export function addressedBy(
  message: Pick<MessageRecord, "mentions" | "replyTo" | "recipientIds">,
): string[] {
  if (!message.mentions && !message.replyTo) return []; // most messages: nothing to build
  const addressed = new Set(message.mentions);
  if (message.replyTo) addressed.add(message.replyTo.senderId);
  return message.recipientIds.filter((id) => addressed.has(id));
}

/** When a message created at `createdAt` disappears in `chat`; undefined while its timer is off. */
export function expiryOf(
  chat: { messageTimer?: number },
  createdAt: string,
): string | undefined {
  if (!chat.messageTimer) return undefined;
  return new Date(Date.parse(createdAt) + chat.messageTimer * 1000).toISOString();
}
