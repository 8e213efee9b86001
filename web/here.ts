/// <reference lib="dom" />
/**
 * Who else has the open chat open, under its title ("Bob is here"): the page
 * opens the chat's live view on the server while it shows the chat, and closes
 * it when another chat opens. The client joins it again after a reconnect.
 * @module
 */
import type { ChatActiveUsersEvent, ChatClient } from "../src/sdk/mod.ts";
import { $ } from "./view.ts";

/** The live view of the open chat. */
export class Here {
  #client: () => ChatClient;
  #name: (userId: string) => string;
  #chatId: string | undefined;

  /** `client` opens and closes the chats; `name` gives the name to show for a user. */
  constructor(client: () => ChatClient, name: (userId: string) => string) {
    this.#client = client;
    this.#name = name;
  }

  /**
   * The page shows this chat now, or none: the last one shown is closed. The
   * same chat again is opened again (harmless), for a client made since.
   */
  follow(chatId?: string): void {
    const last = this.#chatId;
    this.#chatId = chatId;
    if (last !== chatId) {
      this.#render([]);
      if (last) this.#client().closeChat(last).catch(() => {});
    }
    if (chatId) this.#client().openChat(chatId).catch(() => {});
  }

  /** Who has a chat open now (the client's `activeUsers`); `me` is not shown. */
  update(event: ChatActiveUsersEvent, me: string): void {
    if (event.chatId !== this.#chatId) return;
    this.#render(event.activeUserIds.filter((id) => id !== me));
  }

  #render(userIds: string[]): void {
    const names = userIds.map(this.#name);
    $("here").textContent = names.length === 0
      ? ""
      : `${names.join(", ")} ${names.length === 1 ? "is" : "are"} here`;
  }
}
