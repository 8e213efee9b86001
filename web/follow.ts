/// <reference lib="dom" />
/**
 * What the page does with each event of its `ChatClient`: messages and ticks,
 * reads, mutes, archives and stars from the user's other devices, presence, a chat's
 * members, name, roles or pins, typing, and the connection. `app.ts` holds the
 * page's state and hands it over in `FollowHooks`.
 * @module
 */
import type { ChatClient, ChatView, RestClient, UserView } from "../src/sdk/mod.ts";
import type { ChatList } from "./chat_list.ts";
import type { Messages } from "./messages.ts";
import type { People } from "./people.ts";
import type { Stars } from "./stars.ts";
import type { Ticks } from "./ticks.ts";
import type { Typing } from "./typing.ts";
import { $, type OpenChat } from "./view.ts";

/** The page's state and drawing that the events act on. */
export interface FollowHooks {
  me: () => UserView;
  open: () => OpenChat | undefined;
  rest: () => RestClient;
  list: ChatList;
  messages: Messages;
  ticks: Ticks;
  people: People;
  stars: Stars;
  typing: Typing;
  showSidebar(): void;
  showChat(): void;
  refreshChats(): Promise<void>;
  markReadIfVisible(): void;
  /** A chat as the server announced it: kept, and shown where it is. */
  changedChat(chat: ChatView): Promise<void>;
  /** The user left a chat or was removed from it. */
  closeChat(chatId: string): void;
  showGroup(chat: ChatView): Promise<void>;
  logout(): void;
}

/** Subscribes the page to the client's events. */
export function followClient(client: ChatClient, page: FollowHooks): void {
  client.on("connection", (state) => {
    $("connection").textContent = state === "connected" ? "online" : "reconnecting…";
    if (state === "unauthorized") page.logout();
  });
  client.on("message", async (m) => {
    page.messages.remember(m);
    if (!page.list.chats.has(m.chatId)) await page.refreshChats();
    if (m.chatId !== page.open()?.chat.id) {
      const chat = page.list.chats.get(m.chatId);
      const me = page.me().id;
      // As the server counts unreadMentions: a mention of the user, or a reply to them.
      const addressed = m.mentions?.includes(me) || m.replyTo?.senderId === me;
      page.list.addUnread(m.chatId, chat?.type === "group" && addressed === true);
    }
    page.showSidebar();
    page.showChat();
    page.markReadIfVisible();
  });
  // Ours: from this tab's outbox, or sent from another tab or device.
  client.on("sent", async (m) => {
    page.messages.remember(m);
    page.ticks.follow(m.id);
    if (!page.list.chats.has(m.chatId)) await page.refreshChats();
    page.showChat();
  });
  client.on("read", (r) => (page.list.read(r.chatId), page.showSidebar()));
  client.on("outbox", () => page.showChat());
  client.on("starred", () => void page.stars.load());
  // Muted, archived or pinned on another device (or this one, then the same settings again).
  client.on("preferences", async (settings) => {
    const { chatId, muted, archived, pinned, clearedSeq, markedUnread } = settings;
    const chat = page.list.chats.get(chatId);
    if (chat) {
      await page.changedChat({ ...chat, muted, archived, pinned, clearedSeq, markedUnread });
    }
  });
  client.on("status", async (s) => {
    const recipients = (page.list.chats.get(s.chatId)?.participantIds.length ?? 2) - 1;
    const message = page.messages.find(s.chatId, s.messageId);
    if (message) await page.ticks.record(message, s, recipients);
    page.showChat();
  });
  page.messages.follow(client, (chatId) => chatId === page.open()?.chat.id && page.showChat());
  client.on("presence", (p) => (page.list.presence(p), page.showSidebar()));
  // A chat changed (members, name, roles, pins, a block): read that one chat again, not the list.
  client.on("participants", async (event) => {
    if (!event.participantIds.includes(page.me().id)) return page.closeChat(event.chatId);
    // This page's own change: the REST answer was applied already.
    if (page.list.holds(event)) return;
    const chat = await page.rest().chat(event.chatId).catch(() => undefined);
    if (!chat) return;
    page.list.set(chat);
    // A direct chat's block: the friendship ended with it.
    if (event.blocked !== undefined) await page.refreshChats();
    page.showSidebar();
    await page.showGroup(chat);
  });
  client.on("typing", (t) => {
    if (t.chatId === page.open()?.chat.id) page.typing.update(t.userId, t.typing);
  });
}
