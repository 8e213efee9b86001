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
};

/** The element with this id (the page's ids are fixed in index.html). */
export const $ = <T extends HTMLElement = HTMLElement>(id: string) =>
  document.getElementById(id) as T;

function el(tag: string, props: Record<string, string> = {}, ...children: (Node | string)[]) {
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

/** The friend list with online dots, last seen and unread badges. */
export function renderFriends(
  friends: UserView[],
  options: { current?: string; unread: Map<string, number>; open: (user: UserView) => void },
): void {
  const list = $("friends");
  list.replaceChildren(...friends.map((user) => {
    const unread = options.unread.get(user.id) ?? 0;
    const item = el(
      "li",
      {
        tabindex: "0",
        "data-user": user.username,
        "aria-current": String(user.id === options.current),
      },
      el("span", {
        class: `dot${user.isOnline ? " online" : ""}`,
        "aria-label": user.isOnline ? "online" : "offline",
      }),
      el("span", {}, user.displayName || user.username),
      ...(unread
        ? [el("span", { class: "badge", "aria-label": `${unread} unread` }, String(unread))]
        : []),
      el("span", { class: "seen" }, lastSeen(user)),
    );
    item.onclick = () => options.open(user);
    item.onkeydown = (e) => (e.key === "Enter" || e.key === " ") && options.open(user);
    return item;
  }));
}

/** The group chats, with unread badges. */
export function renderGroups(
  groups: ChatView[],
  options: { current?: string; unread: Map<string, number>; open: (chat: ChatView) => void },
): void {
  $("groups").replaceChildren(...groups.map((chat) => {
    const unread = options.unread.get(chat.id) ?? 0;
    const item = el(
      "li",
      {
        tabindex: "0",
        "data-chat": chat.name ?? "",
        "aria-current": String(chat.id === options.current),
      },
      el("span", {}, `# ${chat.name ?? "group"}`),
      ...(unread
        ? [el("span", { class: "badge", "aria-label": `${unread} unread` }, String(unread))]
        : []),
      el("span", { class: "seen" }, `${chat.participantIds.length} members`),
    );
    item.onclick = () => options.open(chat);
    item.onkeydown = (e) => (e.key === "Enter" || e.key === " ") && options.open(chat);
    return item;
  }));
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

/** The open conversation, oldest first; `senderName` labels others' messages in a group. */
export function renderMessages(
  messages: Shown[],
  me: string,
  senderName?: (userId: string) => string,
): void {
  const list = $("messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.replaceChildren(...messages.map((m) => {
    const mine = m.senderId === me;
    const content = "deleted" in m && m.deleted ? "(deleted)" : m.content;
    return el(
      "li",
      { class: mine ? "mine" : "theirs", "data-seq": "seq" in m ? String(m.seq) : "" },
      ...(senderName && !mine ? [el("span", { class: "sender" }, senderName(m.senderId))] : []),
      el("span", { class: "content" }, content),
      el("span", { class: "meta" }, time(m.createdAt)),
      ...(mine ? [tick(m)] : []),
    );
  }));
  if (atBottom) list.scrollTop = list.scrollHeight;
}
