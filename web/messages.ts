/**
 * The messages the page holds, per chat, each at its newest copy.
 *
 * Edits, deletes and reactions reach the page twice over: as live events while
 * the socket is up, and from `GET /changes` for what happened while it was down.
 * Every copy carries the message's `changeSeq`, so whichever arrives last, the
 * higher one wins and a late history answer never undoes a newer edit.
 * @module
 */
import type {
  ChangesPage,
  ChatClient,
  HistoryPage,
  MessageDeletedEvent,
  MessageEditedEvent,
  MessageReactionEvent,
  MessageView,
} from "../src/sdk/mod.ts";

/** A change to a message, as its live event tells it. */
export type ChangeEvent =
  | ({ kind: "edited" } & MessageEditedEvent)
  | ({ kind: "deleted" } & MessageDeletedEvent)
  | ({ kind: "reaction" } & MessageReactionEvent);

/** How the page reads a chat: its history and its changes. */
export interface MessageSource {
  history(chatId: string, options: { limit: number; beforeSeq?: number }): Promise<HistoryPage>;
  changes(chatId: string, afterChangeSeq: number): Promise<ChangesPage>;
}

// Messages per history read: the latest when a chat opens, then each older page.
const PAGE = 100;

// The fields a change sets; the rest of a message (its status above all) moves on its own.
const changed = (m: MessageView) => ({
  content: m.content,
  editedAt: m.editedAt,
  deleted: m.deleted,
  reactions: m.reactions,
  changeSeq: m.changeSeq,
});

/** The held messages of every chat the page has seen. */
export class Messages {
  #byChat = new Map<string, Map<number, MessageView>>();
  // Per loaded chat: every change up to this count is applied (the next `afterChangeSeq`).
  #cursors = new Map<string, number>();
  // Per loaded chat: the `beforeSeq` of the next older page, null when there is none.
  #older = new Map<string, number | null>();
  #source: MessageSource;

  /** Creates the store; `source` is the REST client. */
  constructor(source: MessageSource) {
    this.#source = source;
  }

  /** A chat's messages, oldest first. */
  of(chatId: string): MessageView[] {
    return [...this.#byChat.get(chatId)?.values() ?? []].sort((a, b) => a.seq - b.seq);
  }

  /** One held message, if the page has it. */
  find(chatId: string, messageId: string): MessageView | undefined {
    return [...this.#byChat.get(chatId)?.values() ?? []].find((m) => m.id === messageId);
  }

  /** Keeps a message; of two copies, the changes of the one with the higher `changeSeq` stay. */
  remember(message: MessageView): void {
    let chat = this.#byChat.get(message.chatId);
    if (!chat) this.#byChat.set(message.chatId, chat = new Map());
    const held = chat.get(message.seq);
    const newer = held && (held.changeSeq ?? 0) > (message.changeSeq ?? 0);
    chat.set(message.seq, newer ? { ...message, ...changed(held) } : message);
  }

  /**
   * Drops a chat's messages up to `upToSeq` (the user cleared them); with none
   * left above what the next older page would read, there is no older page.
   */
  clear(chatId: string, upToSeq: number): void {
    const chat = this.#byChat.get(chatId);
    for (const seq of chat?.keys() ?? []) if (seq <= upToSeq) chat!.delete(seq);
    const lowest = this.of(chatId)[0]?.seq;
    if (lowest === undefined || lowest - 1 <= upToSeq) this.#older.set(chatId, null);
  }

  /** Loads a chat's latest messages, and from then on follows its changes. */
  async load(chatId: string): Promise<void> {
    const page = await this.#source.history(chatId, { limit: PAGE });
    page.messages.forEach((m) => this.remember(m));
    // Opened before: the cursor stays, as it covers the older messages held too,
    // whose changes since then only a catch-up brings; so do the older pages.
    if (this.#older.has(chatId)) return;
    this.#advance(chatId, page.lastChangeSeq);
    this.#older.set(chatId, page.nextBeforeSeq);
  }

  /** Whether a loaded chat has messages older than the page holds. */
  hasOlder(chatId: string): boolean {
    return (this.#older.get(chatId) ?? null) !== null;
  }

  /**
   * Loads the page of messages before the oldest held. Its messages are current
   * as of now; the change cursor stays, so changes the page's neighbours missed
   * are still fetched on the next catch-up.
   */
  async loadOlder(chatId: string): Promise<void> {
    const beforeSeq = this.#older.get(chatId);
    if (beforeSeq == null) return;
    const page = await this.#source.history(chatId, { limit: PAGE, beforeSeq });
    page.messages.forEach((m) => this.remember(m));
    this.#older.set(chatId, page.nextBeforeSeq);
  }

  /**
   * Applies the client's change events from now on, and after each reconnect the
   * changes made while it was away (live events are not replayed). `changed` runs
   * with the chat's id when its held messages changed.
   */
  follow(client: ChatClient, changed: (chatId: string) => void): void {
    const apply = (event: ChangeEvent) => this.apply(event) && changed(event.chatId);
    client.on("edited", (e) => apply({ kind: "edited", ...e }));
    client.on("deleted", (e) => apply({ kind: "deleted", ...e }));
    client.on("reaction", (e) => apply({ kind: "reaction", ...e }));
    client.on("connection", async (state) => {
      if (state !== "connected") return;
      for (const chatId of await this.catchUp()) changed(chatId);
    });
  }

  /** Applies a live change; false when the page holds no older copy of the message. */
  apply(event: ChangeEvent): boolean {
    const message = this.find(event.chatId, event.messageId);
    if (!message || (message.changeSeq ?? 0) >= event.changeSeq) return false;
    if (event.kind === "edited") {
      Object.assign(message, { content: event.content, editedAt: event.editedAt });
    } else if (event.kind === "deleted") {
      Object.assign(message, { content: "", deleted: true, reactions: {} });
    } else {
      message.reactions = event.reactions;
    }
    message.changeSeq = event.changeSeq;
    return true;
  }

  /**
   * Fetches the changes made while the socket was down, for every loaded chat
   * (live events are not replayed). A chat that fails keeps its cursor and is
   * asked again on the next reconnect. Resolves with the chats that changed.
   */
  async catchUp(): Promise<string[]> {
    const changed = await Promise.all([...this.#cursors].map(async ([chatId, after]) => {
      let count = 0;
      try {
        for (let more = true; more;) {
          const page = await this.#source.changes(chatId, after);
          page.messages.forEach((m) => this.#replace(m));
          count += page.messages.length;
          this.#advance(chatId, after = page.lastChangeSeq);
          more = page.hasMore;
        }
      } catch {
        // Offline again, or the chat is gone: nothing to apply now.
      }
      return count > 0 ? [chatId] : [];
    }));
    return changed.flat();
  }

  // A changed message replaces only a copy the page holds: others load with their chat.
  #replace(message: MessageView): void {
    if (this.#byChat.get(message.chatId)?.has(message.seq)) this.remember(message);
  }

  #advance(chatId: string, lastChangeSeq: number): void {
    this.#cursors.set(chatId, Math.max(this.#cursors.get(chatId) ?? 0, lastChangeSeq));
  }
}
