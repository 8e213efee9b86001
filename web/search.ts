/// <reference lib="dom" />
/**
 * Searching the open chat from the page: the "Search" panel under the title
 * lists the matches newest first, "Search older messages" reads on from where
 * the server stopped (a call reads a bounded stretch), and a match the
 * conversation shows scrolls into view when clicked.
 * @module
 */
import type { ChatView, MessageView, RestClient } from "../src/sdk/mod.ts";
import { refusal } from "./form.ts";
import { scrollToMessage } from "./message_list.ts";
import { $, el, time } from "./view.ts";

/** What the search panel needs from the page. */
export interface SearchOptions {
  rest: () => RestClient;
  /** The open chat, if any. */
  open: () => ChatView | undefined;
  /** The name to show for a sender. */
  name: (userId: string) => string;
}

/** Wires the search panel; returns what resets it when another chat opens. */
export function bindSearch(options: SearchOptions): () => void {
  let searched: { chatId: string; text: string; next: number | null } | undefined;

  const result = (message: MessageView) => {
    const item = el(
      "li",
      { tabindex: "0" },
      el("span", { class: "sender" }, options.name(message.senderId)),
      el("span", { class: "content" }, message.content),
      el("span", { class: "meta" }, time(message.createdAt)),
    );
    item.onclick = () => scrollToMessage(message.seq);
    return item;
  };

  async function more(fresh: boolean) {
    if (!searched) return;
    $("search-error").textContent = "";
    try {
      const { chatId, text, next } = searched;
      const beforeSeq = fresh ? undefined : next ?? undefined;
      const page = await options.rest().search(chatId, text, { beforeSeq });
      if (searched?.chatId !== chatId) return; // another chat opened meanwhile
      searched.next = page.nextBeforeSeq;
      if (fresh) $("search-results").replaceChildren();
      $("search-results").append(...page.messages.map(result));
      const none = $("search-results").childElementCount === 0;
      $("search-status").textContent = none && page.nextBeforeSeq === null
        ? "No messages found"
        : "";
      $("search-older").hidden = page.nextBeforeSeq === null;
    } catch (error) {
      $("search-error").textContent = refusal(error, "Cannot reach the server");
    }
  }

  $<HTMLFormElement>("search-form").onsubmit = (event) => {
    event.preventDefault();
    const chat = options.open();
    const text = String(new FormData(event.target as HTMLFormElement).get("q")).trim();
    if (!chat || !text) return;
    searched = { chatId: chat.id, text, next: null };
    void more(true);
  };
  $("search-older").onclick = () => void more(false);

  return () => {
    const chat = options.open();
    $("search-panel").hidden = chat === undefined;
    if (searched && searched.chatId === chat?.id) return;
    searched = undefined;
    $("search-results").replaceChildren();
    $("search-status").textContent = "";
    $("search-older").hidden = true;
  };
}
