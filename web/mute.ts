/// <reference lib="dom" />
/**
 * The open chat's "Mute" button: it silences the chat's push notifications on
 * the user's phones until they unmute (messages still arrive everywhere). The
 * page itself gets no pushes; it marks a muted chat's title with 🔕.
 * @module
 */
import type { ChatView, RestClient } from "../src/sdk/mod.ts";
import { refusal } from "./form.ts";
import { $ } from "./view.ts";

/** What the mute button needs from the page. */
export interface MuteOptions {
  rest: () => RestClient;
  /** The open chat, if any. */
  open: () => ChatView | undefined;
  /** The chat as the server answered, muted or not. */
  changed: (chat: ChatView) => Promise<void>;
}

/** Wires the mute button; returns what draws it for the open chat. */
export function bindMute(options: MuteOptions): () => void {
  const toggle = $("mute-chat");
  toggle.onclick = async () => {
    const chat = options.open();
    if (!chat) return;
    $("mute-error").textContent = "";
    try {
      const rest = options.rest();
      await options.changed(
        chat.muted ? await rest.unmuteChat(chat.id) : await rest.muteChat(chat.id),
      );
    } catch (error) {
      $("mute-error").textContent = refusal(error, "Cannot reach the server");
    }
  };
  return () => {
    const chat = options.open();
    toggle.hidden = chat === undefined;
    toggle.textContent = chat?.muted ? "Unmute" : "Mute";
  };
}
