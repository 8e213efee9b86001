/**
 * What a new message may point at besides its text: the message it replies to,
 * the members it mentions, the message it forwards and the files it carries.
 * Each is checked before the message is stored, so a stored reference always
 * names something the sender could see.
 * @module
 */
import type { SendMessageInput } from "../protocol/mod.ts";
import { type ChatService, readableBy } from "./chats.ts";
import { AccessError, ValidationError } from "./errors.ts";
import type { Store } from "./ports.ts";
import type { FileService } from "./files.ts";
import type { MessageRecord } from "./types.ts";

/** The reply, mentions, forwarding and files of a message, as stored. */
export type References = Pick<
  MessageRecord,
  "replyTo" | "mentions" | "forwarded" | "attachments"
>;

/** What the checks read. */
export interface ReferenceDeps {
  store: Store;
  chats: ChatService;
  files: FileService;
}

/**
 * Checks the input's `replyToId`, `mentions`, `forwardOf` and `attachments`
 * (`content` as it will be stored) and claims the files; returns them as stored,
 * or nothing to add when the input has none (no read on the plain send path).
 */
export async function references(
  deps: ReferenceDeps,
  senderId: string,
  input: SendMessageInput,
): Promise<References> {
  const mentions = [...new Set(input.mentions ?? [])];
  if (!input.replyToId && mentions.length === 0 && !input.forwardOf && !input.attachments) {
    return {};
  }
  if (input.forwardOf && input.attachments) {
    throw new ValidationError("A forwarded message carries the original's files", {
      details: [{ path: "attachments", message: "must be absent when forwarding" }],
    });
  }
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
  // Claimed (and a forward's copied) last, once everything else passed: a refused
  // send leaves the files free and copies nothing.
  const files = input.attachments ?? await forwardedFiles(deps, senderId, input, refs);
  if (files) {
    refs.attachments = await deps.files.attach(senderId, input.chatId, files, input.clientMsgId);
  }
  return refs;
}

/**
 * Forwarding: the original must be a message the sender can read now (a member
 * of its chat, from after they joined), not deleted, and the new message carries
 * its content as it is, so "forwarded" never vouches for words of the sender's.
 * Its files come with it, to be copied (`forwardedFiles`).
 */
async function forwarding(
  deps: ReferenceDeps,
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
  const attachments = original.attachments;
  return attachments?.length ? { forwarded: true, attachments } : { forwarded: true };
}

/**
 * The ids of copies of a forwarded message's files in the new chat; a retry of
 * a forward already stored reuses the copies it made.
 */
async function forwardedFiles(
  deps: ReferenceDeps,
  senderId: string,
  input: SendMessageInput,
  refs: References,
): Promise<string[] | undefined> {
  if (!refs.attachments?.length) return undefined;
  const stored = await deps.store.messages.getByClientMsgId(senderId, input.clientMsgId);
  if (stored?.chatId === input.chatId && stored.attachments) {
    return stored.attachments.map((a) => a.id);
  }
  return await deps.files.copy(senderId, input.chatId, refs.attachments);
}
