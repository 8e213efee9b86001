/// <reference lib="dom" />
/**
 * What the page does with each event of its `ChatClient`: messages and ticks,
 * reads, mutes, archives and stars from the user's other devices, presence, a chat's
 * members, name, roles or pins, typing, and the connection. `app.ts` holds the
 * page's state and hands it over in `FollowHooks`, with the open chat's `Conversation`.
 * @module
 */
import type { ChatClient, ConnectionState, RestClient, UserView } from "../src/sdk/mod.ts";
import type { ChatList } from "./chat_list.ts";
import type { Messages } from "./messages.ts";
import type { People } from "./people.ts";
import type { Stars } from "./stars.ts";
import type { Ticks } from "./ticks.ts";
import type { Typing } from "./typing.ts";
import type { Here } from "./here.ts";
import { $ } from "./view.ts";
import { showUploadProgress } from "./upload_progress.ts";
import type { Conversation } from "./conversation.ts";

/** The page's state and drawing that the events act on. */
export interface FollowHooks {
  me: () => UserView;
  rest: () => RestClient;
  list: ChatList;
  messages: Messages;
  ticks: Ticks;
  people: People;
  stars: Stars;
  typing: Typing;
  here: Here;
  /** The open chat, and what draws it. */
  conversation: Conversation;
  logout(): void;
}

// What the page says while it is not connected, when it knows why; "reconnecting…" else.
const CONNECTION_LABELS: Partial<Record<ConnectionState, string>> = {
  connected: "online",
  rate_limited: "open in too many tabs: waiting…",
  unavailable: "server busy: reconnecting…",
};

/** Subscribes the page to the client's events. */
export function followClient(client: ChatClient, page: FollowHooks): void {
  client.on("connection", (state) => {
    $("connection").textContent = CONNECTION_LABELS[state] ?? "reconnecting…";
    if (state === "unauthorized") page.logout();
  });
  client.on("message", async (m) => {
    page.messages.remember(m);
    if (!page.list.chats.has(m.chatId)) await page.conversation.refreshChats();
    if (m.chatId !== page.conversation.open?.chat.id) {
      const chat = page.list.chats.get(m.chatId);
      const me = page.me().id;
      // As the server counts unreadMentions: a mention of the user, or a reply to them.
      const addressed = m.mentions?.includes(me) || m.replyTo?.senderId === me;
      page.list.addUnread(m.chatId, chat?.type === "group" && addressed === true);
    }
    page.conversation.showSidebar();
    page.conversation.showChat();
    page.conversation.markReadIfVisible();
  });
  // Ours: from this tab's outbox, or sent from another tab or device.
  client.on("sent", async (m) => {
    page.messages.remember(m);
    page.ticks.follow(m.id);
    if (!page.list.chats.has(m.chatId)) await page.conversation.refreshChats();
    page.conversation.showChat();
  });
  client.on("read", (r) => (page.list.read(r.chatId), page.conversation.showSidebar()));
  client.on("outbox", () => page.conversation.showChat());
  client.on("uploadProgress", showUploadProgress);
  client.on("starred", () => void page.stars.load());
  // Muted, archived or pinned on another device (or this one, then the same settings again).
  client.on("preferences", async (settings) => {
    const { chatId, muted, archived, pinned, clearedSeq, markedUnread } = settings;
    const chat = page.list.chats.get(chatId);
    if (chat) {
      await page.conversation.changedChat({
        ...chat,
        muted,
        archived,
        pinned,
        clearedSeq,
        markedUnread,
      });
    }
  });
  client.on("status", async (s) => {
    const recipients = (page.list.chats.get(s.chatId)?.participantIds.length ?? 2) - 1;
    const message = page.messages.find(s.chatId, s.messageId);
    if (message) await page.ticks.record(message, s, recipients);
    page.conversation.showChat();
  });
  page.messages.follow(
    client,
    (chatId) => chatId === page.conversation.open?.chat.id && page.conversation.showChat(),
  );
  client.on("presence", (p) => (page.list.presence(p), page.conversation.showSidebar()));
  // A chat changed (members, name, roles, pins, a block): read that one chat again, not the list.
  client.on("participants", async (event) => {
    if (!event.participantIds.includes(page.me().id)) {
      return page.conversation.closeChat(event.chatId);
    }
    // This page's own change: the REST answer was applied already.
    if (page.list.holds(event)) return;
    const chat = await page.rest().chat(event.chatId).catch(() => undefined);
    if (!chat) return;
    page.list.set(chat);
    // A direct chat's block: the friendship ended with it.
    if (event.blocked !== undefined) await page.conversation.refreshChats();
    page.conversation.showSidebar();
    await page.conversation.showGroup(chat);
  });
  client.on("typing", (t) => {
    if (t.chatId === page.conversation.open?.chat.id) page.typing.update(t.userId, t.typing);
  });
  client.on("activeUsers", (e) => page.here.update(e, page.me().id));
}
