/// <reference lib="dom" />
/**
 * Replies on the page: the quote a reply shows above its text, and the bar over
 * the composer while the user writes one. A reply carries only a reference, so
 * the quote is drawn from the page's own copy of the quoted message: an edit or
 * a delete of it shows in the quote too. A message the page has not loaded
 * (further up the history) shows as "an earlier message".
 * @module
 */
import type { MessageView } from "../src/sdk/mod.ts";
import type { Shown } from "./message_list.ts";
import { $, el, snippet } from "./view.ts";

// Enough of the quoted text to recognise it; the whole message is one scroll away.
const SNIPPET_CHARS = 80;

function quotedText(message: MessageView | undefined): string {
  if (!message) return "an earlier message";
  if (message.deleted) return "(deleted)";
  return snippet(message.content, SNIPPET_CHARS);
}

/**
 * The quote shown above a reply's text (stored, or still in the outbox): who
 * wrote the quoted message, and what; undefined for a message that is no reply.
 * `find` looks a message of the chat up in the page's copies, `name` names a user.
 */
export function quoteOf(
  message: Shown,
  find: (messageId: string) => MessageView | undefined,
  name: (userId: string) => string,
): HTMLElement | undefined {
  const id = "pending" in message ? message.replyToId : message.replyTo?.id;
  if (!id) return undefined;
  const quoted = find(id);
  const senderId = quoted?.senderId ??
    ("pending" in message ? undefined : message.replyTo?.senderId);
  return el(
    "span",
    { class: "quote" },
    `${senderId ? name(senderId) : "someone"}: ${quotedText(quoted)}`,
  );
}

let replying: MessageView | undefined;

/**
 * Starts a reply to `message`, written by `name`, shown over the composer; with
 * no message, drops the reply being written (sent, cancelled, or another chat opened).
 */
export function replyTo(message?: MessageView, name = ""): void {
  replying = message;
  $("reply-bar").hidden = !message;
  $("reply-text").textContent = message ? `Replying to ${name}: ${quotedText(message)}` : "";
  if (message) $("text").focus();
}

/** The message the user is replying to, if any. */
export function replyingTo(): MessageView | undefined {
  return replying;
}

/** Wires the reply bar's cancel button. */
export function bindReplyBar(): void {
  $("reply-cancel").onclick = () => replyTo();
}
