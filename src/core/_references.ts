/**
 * What a new message may point at besides its text: the message it replies to,
 * the members it mentions and the message it forwards. Each is checked before
 * the message is stored, so a stored reference always names something the
 * sender could see.
 * @module
 */
import type { SendMessageInput } from "../protocol/mod.ts";
import { type ChatService, readableBy } from "./chats.ts";
import { AccessError, ValidationError } from "./errors.ts";
import type { Store } from "./ports.ts";
import type { MessageRecord } from "./types.ts";

/** The reply, mentions and forwarding of a message, as stored. */
export type References = Pick<MessageRecord, "replyTo" | "mentions" | "forwarded">;

/**
 * Checks the input's `replyToId`, `mentions` and `forwardOf` (`content` as it
 * will be stored); returns them as stored, or nothing to add when the input has
 * none (no read on the plain send path).
 */
export async function references(
  deps: { store: Store; chats: ChatService },
  senderId: string,
  input: SendMessageInput,
): Promise<References> {
  const mentions = [...new Set(input.mentions ?? [])];
  if (!input.replyToId && mentions.length === 0 && !input.forwardOf) return {};
  const [quoted, { chat, membership }, forwarded] = await Promise.all([
    input.replyToId ? deps.store.messages.get(input.replyToId) : undefined,
    deps.chats.requireMember(input.chatId, senderId),
    input.forwardOf ? forwarding(deps, senderId, input) : {},
  ]);
  const refs: References = { ...forwarded };
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

/**
 * Forwarding: the original must be a message the sender can read now (a member
 * of its chat, from after they joined), not deleted, and the new message carries
 * its content as it is, so "forwarded" never vouches for words of the sender's.
 */
async function forwarding(
  deps: { store: Store },
  senderId: string,
  input: SendMessageInput,
): Promise<References> {
  const original = await deps.store.messages.get(input.forwardOf!);
  const membership = original && await deps.store.chats.getMembership(original.chatId, senderId);
  if (!original || !membership || !readableBy(membership, original) || original.deleted) {
    throw new AccessError("not_found", "Message to forward not found");
  }
  if (original.content !== input.content) {
    throw new ValidationError("A forwarded message keeps the original's content", {
      details: [{ path: "content", message: "must be the forwarded message's content" }],
    });
  }
  return { forwarded: true };
}
