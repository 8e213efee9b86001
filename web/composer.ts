/// <reference lib="dom" />
/**
 * The message box: Enter sends to the open chat through the client's outbox
 * (so a message typed offline goes out on reconnect), as a reply when one was
 * started (replies.ts), and typing is announced
 * at most every two seconds, since the server ends it by itself after a pause.
 * Others' typing shows under the conversation.
 * @module
 */
import type { ChatClient } from "../src/sdk/mod.ts";
import { replyingTo, replyTo } from "./replies.ts";
import { $ } from "./view.ts";

// The server's typing indicator lasts TYPING_TTL_MS (5 s by default): resending within it
// only costs packets.
const TYPING_EVERY_MS = 2000;

/** Wires the composer; `chatId` is the open chat's id, or undefined when none is open. */
export function bindComposer(client: () => ChatClient, chatId: () => string | undefined): void {
  $<HTMLFormElement>("composer").onsubmit = (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>("text");
    const id = chatId();
    if (!id || !input.value.trim()) return;
    client().send(id, input.value, { replyToId: replyingTo()?.id }).catch((e) => alert(e.message));
    client().typing(id, false).catch(() => {});
    input.value = "";
    replyTo();
  };

  let lastTyping = 0;
  $<HTMLInputElement>("text").oninput = () => {
    const id = chatId();
    if (!id || Date.now() - lastTyping < TYPING_EVERY_MS) return;
    lastTyping = Date.now();
    client().typing(id).catch(() => {});
  };
}

// A typing indicator outlives a lost "stopped typing" by at most this long (the server's TTL is 5 s).
const TYPING_SHOWN_MS = 6000;
let typingTimer: ReturnType<typeof setTimeout> | undefined;

/** Shows who is typing in the open chat, or clears it (`name` undefined). */
export function showTyping(name: string | undefined): void {
  clearTimeout(typingTimer);
  $("typing").textContent = name ? `${name} is typing…` : "";
  if (name) typingTimer = setTimeout(() => ($("typing").textContent = ""), TYPING_SHOWN_MS);
}
