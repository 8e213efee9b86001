/// <reference lib="dom" />
/**
 * Pinned messages on the page: the bar over the conversation lists the open
 * chat's pins (the latest first; a click shows the message if the conversation
 * holds it), and a message's "Pin" button pins or unpins it for everyone. The
 * bar reads the pins again whenever the chat's `pinnedMessageIds` change, which
 * `chat:updated` tells every member's page.
 * @module
 */
import type { ChatView, MessageView, RestClient } from "../src/sdk/mod.ts";
import { scrollToMessage } from "./message_list.ts";
import { $, el, snippet } from "./view.ts";

// As much of a pinned message as the bar shows.
const SNIPPET_CHARS = 60;

/** What the pins need from the page. */
export interface PinOptions {
  rest: () => RestClient;
  /** The open chat, if any. */
  open: () => ChatView | undefined;
  /** The name to show for a sender. */
  name: (userId: string) => string;
  /** The chat as the server answered a pin or unpin. */
  changed: (chat: ChatView) => Promise<void>;
}

/** The page's pins: `show` draws the bar, `toggle` pins or unpins a message. */
export interface Pins {
  show(): void;
  toggle(message: MessageView): void;
}

/** Wires the pins bar. */
export function bindPins(options: PinOptions): Pins {
  // Which chat's pins, in which order, the bar shows: it reads them again on a change.
  let shown = "";

  const item = (message: MessageView) => {
    const text = snippet(message.content, SNIPPET_CHARS);
    const node = el("li", { tabindex: "0" }, `📌 ${options.name(message.senderId)}: ${text}`);
    node.onclick = () => scrollToMessage(message.seq);
    return node;
  };

  async function show() {
    const chat = options.open();
    const key = chat ? `${chat.id}:${(chat.pinnedMessageIds ?? []).join()}` : "";
    if (key === shown) return;
    shown = key;
    if (!chat?.pinnedMessageIds) {
      $("pinned").hidden = true;
      $("pinned-list").replaceChildren();
      return;
    }
    const messages = await options.rest().pins(chat.id).catch(() => []);
    if (shown !== key) return; // another chat, or other pins, meanwhile
    $("pinned-list").replaceChildren(...messages.map(item));
    $("pinned").hidden = messages.length === 0;
  }

  async function toggle(message: MessageView) {
    const pinned = options.open()?.pinnedMessageIds?.includes(message.id);
    try {
      const rest = options.rest();
      await options.changed(pinned ? await rest.unpin(message.id) : await rest.pin(message.id));
    } catch (error) {
      alert((error as Error).message); // a full set of pins, or a message deleted meanwhile
    }
  }

  return { show: () => void show(), toggle: (message) => void toggle(message) };
}
