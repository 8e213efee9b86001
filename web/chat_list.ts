/**
 * The sidebar's lists: friends with their presence, the user's chats, which
 * direct chat belongs to which friend, and unread counts per chat. Refreshed
 * from the server when a chat the page does not know shows up.
 * @module
 */
import type { ChatUpdatedEvent, ChatView, RestClient, UserView } from "../src/sdk/mod.ts";
import { $, renderFriends, renderGroups } from "./view.ts";

/** What a click in the lists opens. */
export interface ListActions {
  openDirect: (friend: UserView) => void;
  openChat: (chat: ChatView) => void;
}

/** The friends and chats of the logged-in user, and their unread counts. */
export class ChatList {
  friends: UserView[] = [];
  /** Chat id → chat, as last answered by the server. */
  readonly chats = new Map<string, ChatView>();
  /** Chat id → messages of others not read yet (as the server counted them, then live). */
  readonly unread = new Map<string, number>();
  /** Group id → of those, the messages that address the user (`addressedBy`). */
  readonly mentions = new Map<string, number>();
  #chatOf = new Map<string, string>(); // friend id → direct chat id
  #rest: () => RestClient;
  #me: () => string;

  /** Creates the lists of the user `me`, read through `rest`. */
  constructor(rest: () => RestClient, me: () => string) {
    this.#rest = rest;
    this.#me = me;
  }

  /** Reads the friends and the chats again. */
  async refresh(): Promise<void> {
    const [friends, chats] = await Promise.all([this.#rest().friends(), this.#rest().chats()]);
    this.friends = friends;
    for (const chat of chats) {
      this.set(chat);
      this.unread.set(chat.id, chat.unreadCount);
      this.mentions.set(chat.id, chat.unreadMentions ?? 0);
    }
  }

  /**
   * Keeps a chat as the server answered it, unless the copy held is newer: two
   * answers read at once may arrive in either order (`version`).
   */
  set(chat: ChatView): void {
    if ((this.chats.get(chat.id)?.version ?? -1) > chat.version) return;
    this.chats.set(chat.id, chat);
    const other = chat.participantIds.find((id) => id !== this.#me());
    if (chat.type === "direct" && other) this.#chatOf.set(other, chat.id);
  }

  /** Whether the held copy of a chat already is as `event` tells, or newer. */
  holds(event: ChatUpdatedEvent): boolean {
    return (this.chats.get(event.chatId)?.version ?? -1) >= event.version;
  }

  /** Forgets a chat the user left or was removed from. */
  delete(chatId: string): void {
    this.chats.delete(chatId);
    this.read(chatId);
  }

  /** Counts one more unread message in a chat, and whether it addresses the user. */
  addUnread(chatId: string, addressed: boolean): void {
    this.unread.set(chatId, (this.unread.get(chatId) ?? 0) + 1);
    if (addressed) this.mentions.set(chatId, (this.mentions.get(chatId) ?? 0) + 1);
  }

  /** The user read a chat (here or on another device): nothing of it is unread, nor marked so. */
  read(chatId: string): void {
    this.unread.delete(chatId);
    this.mentions.delete(chatId);
    const chat = this.chats.get(chatId);
    if (chat?.markedUnread) this.chats.set(chatId, { ...chat, markedUnread: undefined });
  }

  /** A friend came online or went offline (`at` is then their last seen). */
  presence(event: { userId: string; online: boolean; at: string }): void {
    const friend = this.friends.find((f) => f.id === event.userId);
    if (!friend) return;
    friend.isOnline = event.online;
    if (!event.online) friend.lastSeen = event.at;
  }

  /** Draws the lists, `current` marked as open; archived chats go to "Archived". */
  render(current: { chat?: ChatView; friend?: UserView } | undefined, actions: ListActions): void {
    const other = (chat: ChatView) => chat.participantIds.filter((id) => id !== this.#me());
    const chats = [...this.chats.values()];
    // Friends by user id, groups by chat id: whose chat the user muted, archived, pinned or
    // marked unread.
    const marked = (mark: (chat: ChatView) => boolean) =>
      new Set(chats.filter(mark).flatMap((c) => c.type === "group" ? [c.id] : other(c)));
    const muted = marked((chat) => chat.muted !== undefined);
    const archived = marked((chat) => chat.archived === true);
    const pinned = marked((chat) => chat.pinned === true);
    const markedUnread = marked((chat) => chat.markedUnread === true);
    // Pinned chats lead each list; the rest keep their order (Array.sort is stable).
    const first = <T>(list: T[], key: (item: T) => string) =>
      list.sort((x, y) => Number(pinned.has(key(y))) - Number(pinned.has(key(x))));
    const byFriend = new Map(
      this.friends.map((f) => [f.id, this.unread.get(this.#chatOf.get(f.id) ?? "") ?? 0]),
    );
    const friends = {
      current: current?.friend?.id,
      unread: byFriend,
      markedUnread,
      muted,
      pinned,
      open: actions.openDirect,
    };
    const groups = {
      current: current?.chat?.id,
      unread: this.unread,
      mentions: this.mentions,
      markedUnread,
      muted,
      pinned,
      open: actions.openChat,
    };
    const isGroup = (chat: ChatView) => chat.type === "group";
    for (const inArchive of [false, true]) {
      const friendsHere = this.friends.filter((f) => archived.has(f.id) === inArchive);
      renderFriends(first(friendsHere, (f) => f.id), {
        ...friends,
        list: inArchive ? "archived-friends" : "friends",
      });
      const groupsHere = chats.filter((c) => isGroup(c) && archived.has(c.id) === inArchive);
      renderGroups(first(groupsHere, (c) => c.id), {
        ...groups,
        list: inArchive ? "archived-groups" : "groups",
      });
    }
    $("archived-panel").hidden = archived.size === 0;
    $("archived-count").textContent = `(${archived.size})`;
  }
}
