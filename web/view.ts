/// <reference lib="dom" />
/**
 * Rendering of the web page: plain DOM, rebuilt from state on each change.
 * @module
 */
import type { ChatView, MessageView, UserView } from "../src/sdk/mod.ts";

/** A message as the page shows it: stored, or still in the outbox. */
export type Shown = MessageView | {
  pending: true;
  clientMsgId: string;
  content: string;
  createdAt: string;
  senderId: string;
  replyToId?: string;
};

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

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

function lastSeen(user: UserView): string {
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

const badge = (unread: number) =>
  unread ? [el("span", { class: "badge", "aria-label": `${unread} unread` }, String(unread))] : [];

/** The friend list with online dots, last seen and unread badges. */
export function renderFriends(
  friends: UserView[],
  options: { current?: string; unread: Map<string, number>; open: (user: UserView) => void },
): void {
  $("friends").replaceChildren(...friends.map((user) =>
    entry(
      { "data-user": user.username },
      { current: user.id === options.current, open: () => options.open(user) },
      el("span", {
        class: `dot${user.isOnline ? " online" : ""}`,
        "aria-label": user.isOnline ? "online" : "offline",
      }),
      el("span", {}, user.displayName || user.username),
      ...badge(options.unread.get(user.id) ?? 0),
      el("span", { class: "seen" }, lastSeen(user)),
    )
  ));
}

/** The group chats, with unread badges. */
export function renderGroups(
  groups: ChatView[],
  options: { current?: string; unread: Map<string, number>; open: (chat: ChatView) => void },
): void {
  $("groups").replaceChildren(...groups.map((chat) =>
    entry(
      { "data-chat": chat.name ?? "" },
      { current: chat.id === options.current, open: () => options.open(chat) },
      el("span", {}, `# ${chat.name ?? "group"}`),
      ...badge(options.unread.get(chat.id) ?? 0),
      el("span", { class: "seen" }, `${chat.participantIds.length} members`),
    )
  ));
}

/** Ticks: one for sent, two for delivered, two coloured for read; a clock while unsent. */
function tick(message: Shown) {
  if ("pending" in message) {
    return el("span", { class: "tick", "aria-label": "sending", "data-status": "sending" }, "🕓");
  }
  const label = message.status;
  const marks = message.status === "sent" ? "✓" : "✓✓";
  return el("span", { class: `tick ${label}`, "aria-label": label, "data-status": label }, marks);
}

/** What a click on a message's buttons does. */
export interface MessageActions {
  edit(message: MessageView): void;
  remove(message: MessageView): void;
  react(message: MessageView, emoji: string): void;
  reply(message: MessageView): void;
  report(message: MessageView): void;
}

// The one emoji offered for a new reaction; existing ones toggle from their own chip.
const QUICK_REACTION = "👍";

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

// Reaction chips (emoji and count; pressed when the user is among them) and the message's buttons.
function controls(m: MessageView, me: string, actions: MessageActions) {
  const chips = Object.entries(m.reactions).map(([emoji, users]) =>
    button(
      `${emoji} ${users.length}`,
      `${emoji} ${users.length}`,
      () => actions.react(m, emoji),
      users.includes(me),
    )
  );
  const buttons = m.senderId === me
    ? [button("Edit", "✎", () => actions.edit(m)), button("Delete", "🗑", () => actions.remove(m))]
    : [button("Report", "⚑", () => actions.report(m))];
  // The buttons stay on the meta line; the chips take a line of their own below.
  return [
    el(
      "span",
      { class: "actions" },
      ...(m.reactions[QUICK_REACTION]
        ? []
        : [button(`React ${QUICK_REACTION}`, "+" + QUICK_REACTION, () =>
          actions.react(m, QUICK_REACTION))]),
      button("Reply", "↩", () => actions.reply(m)),
      ...buttons,
    ),
    el("span", { class: "reactions" }, ...chips),
  ];
}

/** What the conversation shows: a chat, and the friend when it is a direct one. */
export interface OpenChat {
  chat: ChatView;
  friend?: UserView;
}

/** The conversation's title: the friend's name, the group's, or with none open a prompt. */
export function renderTitle(open?: OpenChat): void {
  $("chat-title").textContent = !open
    ? "Pick a friend to chat with"
    : open.friend
    ? open.friend.displayName || open.friend.username
    : `# ${open.chat.name ?? "group"}`;
}

/** The conversation's frame: the title, and the composer while a chat is open. */
export function renderConversation(open?: OpenChat): void {
  renderTitle(open);
  $("composer").hidden = open === undefined;
  if (open === undefined) $("messages").replaceChildren();
}

/** The open conversation, oldest first; `senderName` labels others' messages in a group. */
export function renderMessages(
  messages: Shown[],
  me: string,
  options: {
    senderName?: (userId: string) => string;
    /** The quote above a reply's text. */
    quote: (m: Shown) => HTMLElement | undefined;
    actions: MessageActions;
  },
): void {
  const { senderName, actions } = options;
  const list = $("messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.replaceChildren(...messages.map((m) => {
    const mine = m.senderId === me;
    const stored = "pending" in m ? undefined : m;
    const content = stored?.deleted ? "(deleted)" : m.content;
    const quote = options.quote(m);
    return el(
      "li",
      { class: mine ? "mine" : "theirs", "data-seq": stored ? String(stored.seq) : "" },
      ...(senderName && !mine ? [el("span", { class: "sender" }, senderName(m.senderId))] : []),
      ...(quote ? [quote] : []),
      el("span", { class: "content" }, content),
      el("span", { class: "meta" }, time(m.createdAt) + (stored?.editedAt ? " · edited" : "")),
      ...(mine ? [tick(m)] : []),
      ...(stored && !stored.deleted ? controls(stored, me, actions) : []),
    );
  }));
  if (atBottom) list.scrollTop = list.scrollHeight;
}
