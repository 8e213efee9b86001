/**
 * Searching a chat's messages, for one member. Content is encrypted at rest, so
 * no store can index it: a search reads the member's history newest first and
 * matches each message's text with case and accents folded ("cafe" finds
 * "Café"). A call reads at most `SCAN_LIMIT` messages, so its cost is bounded
 * however rare the match; it answers what it found and where it stopped, and a
 * client that wants older matches asks again from there.
 * @module
 */
import type { MessageView, SearchPage } from "../protocol/mod.ts";
import type { ChatService } from "./chats.ts";
import type { Limits } from "./limits.ts";
import type { Metrics, Store } from "./ports.ts";
import { toMessageView } from "./views.ts";
import { historyStart } from "./_history.ts";

// Messages per store read, and read (and decrypted) per call at most: a call that
// finds nothing read 2,000 in 85 ms at p50 on the project's machine, so 1,000.
const PAGE = 250;
const SCAN_LIMIT = 1_000;

/** Text as the search compares it: decomposed, without accents, in lower case. */
export function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Finds messages by their text in a chat's history. */
export class SearchService {
  #store: Store;
  #chats: ChatService;
  #limits: Limits;
  #metrics: Metrics;

  /** Creates the service over the store, the chat service, the limits and metrics. */
  constructor(deps: { store: Store; chats: ChatService; limits: Limits; metrics: Metrics }) {
    this.#store = deps.store;
    this.#chats = deps.chats;
    this.#limits = deps.limits;
    this.#metrics = deps.metrics;
  }

  /**
   * Up to `limit` messages of the chat containing `q`, newest first, below
   * `beforeSeq` when given; only from the member's history (`historyStart`). Each call counts
   * against the user's search limit: it costs up to `SCAN_LIMIT` decryptions.
   */
  async search(
    userId: string,
    chatId: string,
    options: { q: string; limit: number; beforeSeq?: number },
  ): Promise<SearchPage> {
    await this.#limits.search(userId);
    const { chat, membership } = await this.#chats.requireMember(chatId, userId);
    const viewer = await this.#chats.viewer(userId);
    this.#metrics.count("searches");
    const first = historyStart(membership) + 1;
    const needle = fold(options.q);
    const found: MessageView[] = [];
    // The lowest seq read so far: the next read starts below it.
    let below = Math.min(options.beforeSeq ?? Infinity, chat.lastSeq + 1);
    scan: for (let scanned = 0; below > first && scanned < SCAN_LIMIT;) {
      const limit = Math.min(PAGE, SCAN_LIMIT - scanned, below - first);
      const page = await this.#store.messages.history(chatId, { beforeSeq: below, limit });
      if (page.length === 0) below = first; // seqs have no gaps: nothing is left below
      for (const message of page) {
        below = message.seq;
        scanned++;
        // A deleted message kept no content: it matches nothing.
        if (!fold(message.content).includes(needle)) continue;
        found.push(toMessageView(message, false, viewer));
        if (found.length === options.limit) break scan;
      }
    }
    return { messages: found, nextBeforeSeq: below > first ? below : null };
  }
}
