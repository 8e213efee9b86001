/// <reference lib="dom" />
/**
 * Rendering of the web page: plain DOM, rebuilt from state on each change;
 * the helpers every part uses, the sidebar's lists and the conversation's frame
 * (its messages are drawn in message_list.ts).
 * @module
 */
import type { ChatView, UserView } from "../src/sdk/mod.ts";

/** The element with this id (the page's ids are fixed in index.html). */
export const $ = <T extends HTMLElement = HTMLElement>(id: string) =>
  document.getElementById(id) as T;

/** A new element with these attributes and children. */
export function el(
  tag: string,
  props: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** The start of a message's text, to recognise it by: at most `chars` characters. */
export function snippet(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, chars)}…` : text;
}

/** A time of day, as the page shows it. */
export const time = (iso: string) =>
  new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** A moment to come: its time of day if today, else with its day ("Mon 14:05", "12/24 09:00"). */
export function later(iso: string): string {
  const at = new Date(iso);
  if (at.toDateString() === new Date().toDateString()) return time(iso);
  const inAWeek = at.getTime() - Date.now() < 6 * 86_400_000;
  const day = inAWeek
    ? at.toLocaleDateString([], { weekday: "short" })
    : at.toLocaleDateString([], { month: "numeric", day: "numeric" });
  return `${day} ${time(iso)}`;
}

function lastSeen(user: UserView): string {
  if (user.isOnline === undefined) return ""; // hidden by the user
  if (user.isOnline) return "online";
  return user.lastSeen ? `last seen ${time(user.lastSeen)}` : "offline";
}

// A list entry that opens its chat on a click, Enter or Space.
function entry(
  attributes: Record<string, string>,
  options: { current: boolean; open: () => void },
  ...children: (Node | string)[]
) {
  const item = el(
    "li",
    { tabindex: "0", "aria-current": String(options.current), ...attributes },
    ...children,
  );
  item.onclick = options.open;
  item.onkeydown = (e) => (e.key === "Enter" || e.key === " ") && options.open();
  return item;
}

// The unread count, or a dot for a chat the user marked unread with nothing new in it.
const badge = (unread: number, marked: boolean) =>
  unread
    ? [el("span", { class: "badge", "aria-label": `${unread} unread` }, String(unread))]
    : marked
    ? [el("span", { class: "badge", "aria-label": "marked unread" }, "•")]
    : [];
// A group's unread messages that address the user: "@", with how many for assistive tech.
const mentionMark = (mentions: number) =>
  mentions ? [el("span", { class: "mention", "aria-label": `${mentions} mentions` }, "@")] : [];
const mutedMark = (muted: boolean) =>
  muted ? [el("span", { class: "muted", "aria-label": "muted" }, "🔕")] : [];
const pinnedMark = (pinned: boolean) =>
  pinned ? [el("span", { class: "pinned", "aria-label": "pinned" }, "📌")] : [];

/** The friend list with online dots, last seen and unread badges. */
export function renderFriends(
  friends: UserView[],
  options: {
    current?: string;
    unread: Map<string, number>;
    /** Friends whose direct chat the user marked unread. */
    markedUnread: Set<string>;
    /** Friends whose direct chat the user muted, and pinned. */
    muted: Set<string>;
    pinned: Set<string>;
    open: (user: UserView) => void;
    /** The list to draw into: the friends, or the archived ones. */
    list?: "friends" | "archived-friends";
  },
): void {
  $(options.list ?? "friends").replaceChildren(...friends.map((user) =>
    entry(
      { "data-user": user.username },
      { current: user.id === options.current, open: () => options.open(user) },
      // No dot for a friend who hides their presence: nothing is known.
      ...(user.isOnline === undefined ? [] : [el("span", {
        class: `dot${user.isOnline ? " online" : ""}`,
        "aria-label": user.isOnline ? "online" : "offline",
      })]),
      el("span", {}, user.displayName || user.username),
      ...pinnedMark(options.pinned.has(user.id)),
      ...mutedMark(options.muted.has(user.id)),
      ...badge(options.unread.get(user.id) ?? 0, options.markedUnread.has(user.id)),
      el("span", { class: "seen" }, lastSeen(user)),
    )
  ));
}

/** A group's name as the page shows it: "# name". */
export const groupLabel = (chat: Pick<ChatView, "name">): string => `# ${chat.name ?? "group"}`;

/** The group chats, with unread badges ("@" when some address the user). */
export function renderGroups(
  groups: ChatView[],
  options: {
    current?: string;
    unread: Map<string, number>;
    /** Of the unread messages, those that address the user. */
    mentions: Map<string, number>;
    /** Groups the user marked unread. */
    markedUnread: Set<string>;
    /** Groups the user muted, and pinned. */
    muted: Set<string>;
    pinned: Set<string>;
    open: (chat: ChatView) => void;
    /** The list to draw into: the groups, or the archived ones. */
    list?: "groups" | "archived-groups";
  },
): void {
  $(options.list ?? "groups").replaceChildren(...groups.map((chat) =>
    entry(
      { "data-chat": chat.name ?? "" },
      { current: chat.id === options.current, open: () => options.open(chat) },
      el("span", {}, groupLabel(chat)),
      ...pinnedMark(options.pinned.has(chat.id)),
      ...mutedMark(options.muted.has(chat.id)),
      ...mentionMark(options.mentions.get(chat.id) ?? 0),
      ...badge(options.unread.get(chat.id) ?? 0, options.markedUnread.has(chat.id)),
      el("span", { class: "seen" }, `${chat.participantIds.length} members`),
    )
  ));
}

/** A button named `label` for assistive tech and tests, showing `text`. */
export function button(
  label: string,
  text: string,
  onClick: () => void,
  pressed?: boolean,
): HTMLElement {
  const node = el("button", { type: "button", "aria-label": label }, text);
  if (pressed !== undefined) node.setAttribute("aria-pressed", String(pressed));
  node.onclick = onClick;
  return node;
}

/** What the conversation shows: a chat, and the friend when it is a direct one. */
export interface OpenChat {
  chat: ChatView;
  friend?: UserView;
}

/** The conversation's title: the friend's name, the group's, or with none open a prompt. */
export function renderTitle(open?: OpenChat): void {
  const muted = open?.chat.muted ? " 🔕" : "";
  $("chat-title").textContent = !open
    ? "Pick a friend to chat with"
    : (open.friend ? open.friend.displayName || open.friend.username : groupLabel(open.chat)) +
      muted;
  // A group's description, under its name.
  const description = open?.friend ? undefined : open?.chat.description;
  $("chat-description").hidden = description === undefined;
  $("chat-description").textContent = description ?? "";
}

/** The conversation's frame: the title, and the composer while a chat is open. */
export function renderConversation(open?: OpenChat): void {
  renderTitle(open);
  // A narrow screen shows one pane: the list, or the open chat (style.css).
  $("app").classList.toggle("chat-open", open !== undefined);
  $("composer").hidden = open === undefined;
  if (open === undefined) $("messages").replaceChildren();
}
