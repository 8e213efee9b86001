/// <reference lib="dom" />
/**
 * "Load earlier messages" above the open conversation: a chat opens on its latest
 * page, and the button reads the page before the oldest held. The list keeps its
 * place, so the message that was at the top stays where the reader's eyes are.
 * @module
 */
import type { Messages } from "./messages.ts";
import { $ } from "./view.ts";

/** Wires the button; returns the function that shows or hides it for the open chat. */
export function bindOlder(
  messages: Messages,
  options: { open: () => string | undefined; shown: () => void },
): () => void {
  const button = $<HTMLButtonElement>("older");
  const update = () => {
    const chatId = options.open();
    button.hidden = chatId === undefined || !messages.hasOlder(chatId);
  };
  button.onclick = async () => {
    const chatId = options.open();
    if (!chatId) return;
    button.disabled = true;
    const list = $("messages");
    const fromBottom = list.scrollHeight - list.scrollTop;
    try {
      await messages.loadOlder(chatId);
      if (options.open() !== chatId) return;
      options.shown();
      list.scrollTop = list.scrollHeight - fromBottom;
    } catch {
      // Offline: the button stays for another try.
    } finally {
      button.disabled = false;
      update();
    }
  };
  return update;
}
