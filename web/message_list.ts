/// <reference lib="dom" />
/**
 * The open conversation's messages: each with its sender in a group, the quote
 * of a reply, its files, its ticks, its reaction chips and its buttons.
 * @module
 */
import type { MessageView } from "../src/sdk/mod.ts";
import { $, button, el, later, time } from "./view.ts";

/** A message as the page shows it: stored, or still in the outbox. */
export type Shown = MessageView | {
  pending: true;
  clientMsgId: string;
  content: string;
  createdAt: string;
  senderId: string;
  replyToId?: string;
  /** Files waiting in the outbox to go up with it (`id` once up). */
  files?: { key: string; name: string; id?: string }[];
  /** The server was asked to store it: it can no longer be taken back. */
  tried?: boolean;
};

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
  /** Pins the message, or unpins it when it is pinned. */
  pin(message: MessageView): void;
  /** Stars the message for the user, or unstars it. */
  star(message: MessageView): void;
  /** Sends the message on to a chat the user picks. */
  forward(message: MessageView): void;
  /** Takes a message still in the outbox back, before the server was asked to store it. */
  cancel(clientMsgId: string): void;
}

// The one emoji offered for a new reaction; existing ones toggle from their own chip.
const QUICK_REACTION = "👍";

// Reaction chips (emoji and count; pressed when the user is among them) and the message's buttons.
function controls(
  m: MessageView,
  me: string,
  actions: MessageActions,
  marks: { pinned: boolean; mayPin: boolean; starred: boolean },
) {
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
      button("Forward", "↪", () => actions.forward(m)),
      ...(marks.mayPin
        ? [button(marks.pinned ? "Unpin" : "Pin", "📌", () => actions.pin(m), marks.pinned)]
        : []),
      button(
        marks.starred ? "Unstar" : "Star",
        marks.starred ? "★" : "☆",
        () => actions.star(m),
        marks.starred,
      ),
      ...buttons,
    ),
    el("span", { class: "reactions" }, ...chips),
  ];
}

/** The open conversation, oldest first; `senderName` labels others' messages in a group. */
export function renderMessages(
  messages: Shown[],
  me: string,
  options: {
    senderName?: (userId: string) => string;
    /** The quote above a reply's text. */
    quote: (m: Shown) => HTMLElement | undefined;
    /** The files a message carries, shown under its text (still to go up, while pending). */
    files: (m: Shown) => HTMLElement | undefined;
    /** Ids of the chat's pinned messages. */
    pinned: ReadonlySet<string>;
    /** Whether the user may pin and unpin here (a group may keep it for its admins). */
    mayPin: boolean;
    /** Whether the user starred a message. */
    starred: (messageId: string) => boolean;
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
    const files = !stored?.deleted && options.files(m);
    return el(
      "li",
      {
        class: (mine ? "mine" : "theirs") + (stored?.mentions?.includes(me) ? " mentions-me" : ""),
        "data-seq": stored ? String(stored.seq) : "",
      },
      ...(senderName && !mine ? [el("span", { class: "sender" }, senderName(m.senderId))] : []),
      ...(quote ? [quote] : []),
      ...(stored?.forwarded ? [el("span", { class: "forwarded" }, "Forwarded")] : []),
      el("span", { class: "content" }, content),
      ...(files ? [files] : []),
      el(
        "span",
        { class: "meta" },
        time(m.createdAt) + (stored?.editedAt ? " · edited" : "") +
          (stored?.expiresAt ? ` · ⏱ until ${later(stored.expiresAt)}` : ""),
      ),
      ...(mine ? [tick(m)] : []),
      ...("pending" in m && !m.tried
        ? [
          el(
            "span",
            { class: "actions" },
            button("Cancel", "✕", () => actions.cancel(m.clientMsgId)),
          ),
        ]
        : []),
      ...(stored && !stored.deleted
        ? controls(stored, me, actions, {
          pinned: options.pinned.has(stored.id),
          mayPin: options.mayPin,
          starred: options.starred(stored.id),
        })
        : []),
    );
  }));
  if (atBottom) list.scrollTop = list.scrollHeight;
}

/** Scrolls the conversation to the message `seq`, if it shows it (search results and pins link here). */
export function scrollToMessage(seq: number): void {
  document.querySelector(`#messages li[data-seq="${seq}"]`)?.scrollIntoView();
}
