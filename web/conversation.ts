/// <reference lib="dom" />
/**
 * Which chat the page has open, and drawing it: opening one (a friend's direct
 * chat, one of the list, a starred message in it), a chat that changed or that
 * the user left, none open; the sidebar and the messages of the open chat, read
 * while the page is visible. `app.ts` builds the parts it draws with.
 * @module
 */
import type { ChatClient, ChatView, RestClient, UserView } from "../src/sdk/mod.ts";
import { $, type OpenChat, renderConversation, renderTitle } from "./view.ts";
import {
  type MessageActions,
  renderMessages,
  scrollToMessage,
  type Shown,
} from "./message_list.ts";
import { filesOf } from "./attachments.ts";
import { Expiry } from "./expiry.ts";
import { quoteOf, replyTo } from "./replies.ts";
import { bindOlder } from "./older.ts";
import { allowed } from "./members.ts";
import type { ChatList } from "./chat_list.ts";
import type { Messages } from "./messages.ts";
import type { People } from "./people.ts";
import type { Panels } from "./panels.ts";
import type { Stars } from "./stars.ts";
import type { Typing } from "./typing.ts";
import type { Here } from "./here.ts";

/** What the conversation draws with: the session's clients and the page's parts. */
export interface ConversationParts {
  me: () => UserView;
  rest: () => RestClient;
  client: () => ChatClient;
  /** A user's name as the page shows it ("You" for the user). */
  name: (userId: string) => string;
  list: ChatList;
  messages: Messages;
  people: People;
  typing: Typing;
  here: Here;
  stars: Stars;
  panels: Panels;
  actions: MessageActions;
}

/** The open chat, and what shows it. */
export class Conversation {
  /** The chat open, with the friend of a direct one; none at first. */
  open: OpenChat | undefined;
  #parts: ConversationParts;
  #expiry = new Expiry(() => this.showChat());
  #showOlder: () => void;

  /** Creates it with nothing open. */
  constructor(parts: ConversationParts) {
    this.#parts = parts;
    this.#showOlder = bindOlder(parts.messages, {
      open: () => this.open?.chat.id,
      shown: () => this.showChat(),
    });
    // A narrow screen's way back to the list: the chat closes, as picking none would.
    $("back").onclick = () => this.#deselect();
  }

  /** Draws the list of friends and chats. */
  showSidebar(): void {
    this.#parts.list.render(this.open, {
      openDirect: (friend) => this.openDirect(friend),
      openChat: (chat) => this.openChat(chat),
    });
  }

  /** Draws the open chat's messages, those still in the outbox too. */
  showChat(): void {
    this.#showOlder();
    if (!this.open) return;
    const { me, client, people, messages, stars, name } = this.#parts;
    const chatId = this.open.chat.id;
    const stored: Shown[] = this.#expiry.shown(messages.of(chatId));
    const pending: Shown[] = client().outbox.filter((e) => e.chatId === chatId)
      .map((e) => ({ ...e, pending: true as const, senderId: me().id }));
    renderMessages([...stored, ...pending], me().id, {
      senderName: this.open.friend ? undefined : (userId) => people.name(userId),
      pinned: new Set(this.open.chat.pinnedMessageIds),
      mayPin: allowed(this.open.chat, me().id, "edit"),
      starred: (id) => stars.has(id),
      quote: (m) => quoteOf(m, (id) => messages.find(chatId, id), name),
      files: (m) => filesOf(this.#parts.rest(), m),
      actions: this.#parts.actions,
    });
  }

  /** Marks the open chat read up to its newest message, when the page is in view. */
  markReadIfVisible(): void {
    if (!this.open || document.visibilityState !== "visible") return;
    const { me, client, list, messages } = this.#parts;
    const theirs = messages.of(this.open.chat.id).filter((m) => m.senderId !== me().id);
    const last = Math.max(0, ...theirs.map((m) => m.seq));
    if (last > 0) client().markRead(this.open.chat.id, last).catch(() => {});
    list.read(this.open.chat.id);
    this.showSidebar();
  }

  /** Opens the direct chat with a friend, made if there is none yet. */
  async openDirect(friend: UserView): Promise<void> {
    const chat = await this.#parts.rest().directChat(friend.id);
    this.#parts.list.set(chat);
    await this.openChat(chat, friend);
  }

  /** Opens a chat: its messages loaded, its title and panels drawn, read. */
  async openChat(chat: ChatView, friend?: UserView): Promise<void> {
    this.open = { chat, friend };
    replyTo(); // a reply belongs to the chat it was started in
    this.#parts.typing.clear(); // so do the typists shown
    this.#parts.here.follow(chat.id);
    renderConversation(this.open);
    await Promise.all([this.#parts.messages.load(chat.id), this.showGroup(chat)]);
    this.showChat();
    this.markReadIfVisible();
    $("text").focus();
  }

  /** A chat as the server answered or announced it: kept, and shown where it is. */
  async changedChat(chat: ChatView): Promise<void> {
    this.#parts.list.set(chat);
    if (chat.clearedSeq) this.#parts.messages.clear(chat.id, chat.clearedSeq);
    // Marked unread to come back to: closed, so that showing it does not read it.
    if (chat.markedUnread && this.open?.chat.id === chat.id) return this.#deselect();
    this.showSidebar();
    await this.showGroup(chat);
  }

  /** Opens a chat of the list, unless it is open (a direct chat with its friend's presence). */
  async openListed(chatId: string): Promise<void> {
    const { list, me } = this.#parts;
    const chat = list.chats.get(chatId);
    if (!chat || this.open?.chat.id === chatId) return;
    const other = chat.participantIds.find((id) => id !== me().id);
    const friend = chat.type === "direct" ? list.friends.find((f) => f.id === other) : undefined;
    await this.openChat(chat, friend);
  }

  /** Opens a chat of the list and shows one of its messages (a star's link). */
  async showMessage(chatId: string, seq: number): Promise<void> {
    await this.openListed(chatId);
    scrollToMessage(seq);
  }

  /** The open group's name and members, named (members who are not friends are looked up). */
  async showGroup(chat: ChatView): Promise<void> {
    if (this.open?.chat.id === chat.id) this.open.chat = chat;
    if (chat.type === "group") await this.#parts.people.load(chat.participantIds);
    if (this.open?.chat.id !== chat.id) return;
    renderTitle(this.open);
    this.#parts.panels.show(chat);
    this.showChat();
  }

  /** The user left the chat or was removed from it: it goes from the page. */
  closeChat(chatId: string): void {
    this.#parts.list.delete(chatId);
    if (this.open?.chat.id === chatId) this.#deselect();
    else this.showSidebar();
  }

  /** A chat this user just made or joined: into the list, and open. */
  async showNewChat(chat: ChatView): Promise<void> {
    await this.refreshChats();
    await this.openChat(chat);
  }

  /** Reads the chats and friends again and draws them. */
  async refreshChats(): Promise<void> {
    const { list, people, me } = this.#parts;
    await list.refresh();
    if (this.open) list.read(this.open.chat.id); // the open chat is being read: no badge for it
    people.remember(me(), ...list.friends);
    this.showSidebar();
  }

  // No chat open: the conversation and its panels empty.
  #deselect(): void {
    this.open = undefined;
    this.#parts.typing.clear();
    this.#parts.here.follow();
    renderConversation();
    this.#parts.panels.show();
    this.#showOlder();
    this.showSidebar();
  }
}
