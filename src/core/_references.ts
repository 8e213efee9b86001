/**
 * What a new message may point at besides its text: the message it replies to
 * and the members it mentions. Both are checked against the chat before the
 * message is stored, so a stored reference always names something of the chat
 * the sender could see.
 * @module
 */
import type { SendMessageInput } from "../protocol/mod.ts";
import { type ChatService, readableBy } from "./chats.ts";
import { AccessError, ValidationError } from "./errors.ts";
import type { Store } from "./ports.ts";
import type { MessageRecord } from "./types.ts";

/** The reply and mentions of a message, as stored. */
export type References = Pick<MessageRecord, "replyTo" | "mentions">;

/**
 * Checks the input's `replyToId` and `mentions`; returns them as stored, or
 * nothing to add when the input has neither (no read on the plain send path).
 */
export async function references(
  deps: { store: Store; chats: ChatService },
  senderId: string,
  input: SendMessageInput,
): Promise<References> {
  const mentions = [...new Set(input.mentions ?? [])];
  if (!input.replyToId && mentions.length === 0) return {};
  const [quoted, { chat, membership }] = await Promise.all([
    input.replyToId ? deps.store.messages.get(input.replyToId) : undefined,
    deps.chats.requireMember(input.chatId, senderId),
  ]);
  const refs: References = {};
  if (input.replyToId) {
    // One of the same chat, from after the sender joined it (what came before is
    // not theirs to read), deleted or not.
    if (!quoted || quoted.chatId !== input.chatId || !readableBy(membership, quoted)) {
      throw new AccessError("not_found", "Message to reply to not found");
    }
    refs.replyTo = { id: quoted.id, seq: quoted.seq, senderId: quoted.senderId };
  }
  if (mentions.length > 0) {
    const members = new Set(chat.participantIds);
    if (mentions.some((id) => !members.has(id))) {
      throw new ValidationError("Only participants of the chat can be mentioned", {
        details: [{ path: "mentions", message: "must be participants of the chat" }],
      });
    }
    refs.mentions = mentions;
  }
  return refs;
}
