/// <reference lib="dom" />
/**
 * Starred messages on the page: a message's ☆ button stars it (★ unstars it),
 * and the sidebar's "Starred" lists the user's stars across chats, the latest
 * first; a click opens the chat and shows the message when the conversation
 * holds it. Every page of the user follows a change made on any of them
 * (`message:starred`): the list is read again.
 * @module
 */
import type { MessageView, RestClient, StarView } from "../src/sdk/mod.ts";
import { $, el, snippet } from "./view.ts";

// As much of a starred message as the list shows.
const SNIPPET_CHARS = 60;
// Pages of 100 read at most: a thousand stars are more than anyone scrolls through.
const MAX_PAGES = 10;

/** What the stars need from the page. */
export interface StarOptions {
  rest: () => RestClient;
  /** The name to show for a sender. */
  name: (userId: string) => string;
  /** A group's name to show beside its messages; none for a direct chat. */
  groupName: (chatId: string) => string | undefined;
  /** Opens a chat and shows one of its messages. */
  show: (chatId: string, seq: number) => void;
  /** The stars changed: the conversation's buttons are drawn again. */
  changed: () => void;
}

/** The user's stars: which messages are starred, and the sidebar's list of them. */
export class Stars {
  #options: StarOptions;
  #stars: StarView[] = [];
  #ids = new Set<string>();
  // Reads in flight answer in any order: only the latest one's answer is drawn.
  #reading = 0;

  /** Binds the list to the page's REST client and views. */
  constructor(options: StarOptions) {
    this.#options = options;
  }

  /** Whether a message is starred. */
  has(messageId: string): boolean {
    return this.#ids.has(messageId);
  }

  /** Reads the stars again, then draws the list and the conversation's buttons. */
  async load(): Promise<void> {
    const reading = ++this.#reading;
    const stars: StarView[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const next = await this.#options.rest().starred({ limit: 100, cursor });
      stars.push(...next.stars);
      if (!next.nextCursor) break;
      cursor = next.nextCursor;
    }
    if (reading !== this.#reading) return;
    this.#stars = stars;
    this.#ids = new Set(stars.map((s) => s.message.id));
    this.render();
    this.#options.changed();
  }

  /** Stars a message, or unstars it when it is starred; the page follows `message:starred`. */
  async toggle(message: MessageView): Promise<void> {
    const rest = this.#options.rest();
    try {
      if (this.#ids.has(message.id)) await rest.unstar(message.id);
      else await rest.star(message.id);
    } catch (error) {
      alert((error as Error).message); // a message deleted meanwhile
    }
  }

  /** Draws the sidebar's list (also when the names it shows became known). */
  render(): void {
    $("starred-panel").hidden = this.#stars.length === 0;
    $("starred").replaceChildren(...this.#stars.map(({ message }) => {
      const text = snippet(message.content, SNIPPET_CHARS);
      const group = this.#options.groupName(message.chatId);
      const sender = this.#options.name(message.senderId) + (group ? ` in ${group}` : "");
      const node = el("li", { tabindex: "0" }, `★ ${sender}: ${text}`);
      node.onclick = () => this.#options.show(message.chatId, message.seq);
      return node;
    }));
  }
}
