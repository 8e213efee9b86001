/// <reference lib="dom" />
/**
 * The message box: Enter sends to the open chat through the client's outbox
 * (so a message typed offline goes out on reconnect), as a reply when one was
 * started (replies.ts), mentioning the members named as "@username", and typing is announced
 * at most every two seconds, since the server ends it by itself after a pause.
 * Others' typing shows under the conversation (typing.ts).
 * @module
 */
import type { ChatClient } from "../src/sdk/mod.ts";
import { replyingTo, replyTo } from "./replies.ts";
import { $ } from "./view.ts";

// The server's typing indicator lasts TYPING_TTL_MS (5 s by default): resending within it
// only costs packets.
const TYPING_EVERY_MS = 2000;

/** The open chat as the composer needs it: its id, and its members' ids by username. */
export interface ComposerChat {
  chatId: string;
  /** Lower-case usernames to user ids: who an "@name" may mention. */
  members: Map<string, string>;
}

// "@name" words naming a member of the chat: their ids go with the message as mentions.
function mentionsIn(text: string, members: Map<string, string>): string[] {
  const names = [...text.matchAll(/@([A-Za-z0-9_.-]+)/g)].map((m) => m[1].replace(/\.+$/, ""));
  return [...new Set(names.flatMap((name) => members.get(name.toLowerCase()) ?? []))];
}

/** Wires the composer; `open` is the open chat, or undefined when none is open. */
export function bindComposer(
  client: () => ChatClient,
  open: () => ComposerChat | undefined,
): void {
  $<HTMLFormElement>("composer").onsubmit = (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>("text");
    const chat = open();
    if (!chat || !input.value.trim()) return;
    const id = chat.chatId;
    const mentions = mentionsIn(input.value, chat.members);
    client().send(id, input.value, { replyToId: replyingTo()?.id, mentions })
      .catch((e) => alert(e.message));
    client().typing(id, false).catch(() => {});
    input.value = "";
    replyTo();
  };

  let lastTyping = 0;
  $<HTMLInputElement>("text").oninput = () => {
    const id = open()?.chatId;
    if (!id || Date.now() - lastTyping < TYPING_EVERY_MS) return;
    lastTyping = Date.now();
    client().typing(id).catch(() => {});
  };
}
