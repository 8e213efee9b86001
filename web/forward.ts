/// <reference lib="dom" />
/**
 * Forwarding a message: its "Forward" button opens a list of the user's chats,
 * and a click on one sends the message there, as it is (the server marks it
 * `forwarded`), then opens that chat.
 * @module
 */
import type { ChatClient, ChatView, MessageView } from "../src/sdk/mod.ts";
import { refusal } from "./form.ts";
import { $, button, el } from "./view.ts";

/** What the picker needs from the page. */
export interface ForwardOptions {
  client: () => ChatClient;
  /** The user's chats, to forward to. */
  chats: () => Iterable<ChatView>;
  /** A chat's name as the sidebar shows it. */
  label: (chat: ChatView) => string;
  /** The message went to this chat: show it. */
  sent: (chat: ChatView) => Promise<void>;
}

/** Wires the picker; returns what a message's "Forward" button calls. */
export function bindForward(options: ForwardOptions): (message: MessageView) => void {
  const dialog = $<HTMLDialogElement>("forward-dialog");
  const error = (text = "") => $("forward-error").textContent = text;
  $("forward-cancel").onclick = () => dialog.close();
  return (message) => {
    error();
    // Blocked chats take no messages: they are not offered.
    const chats = [...options.chats()].filter((chat) => !chat.blocked);
    $("forward-targets").replaceChildren(...chats.map((chat) => {
      const name = options.label(chat);
      const send = () => {
        options.client().forward(chat.id, message).then(
          () => (dialog.close(), options.sent(chat)),
          (e) => error(refusal(e, "Cannot forward")),
        );
      };
      return el("li", {}, button(`Forward to ${name}`, name, send));
    }));
    dialog.showModal();
  };
}
