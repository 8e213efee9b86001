/// <reference lib="dom" />
/**
 * The open chat's "Mute", "Pin chat" and "Archive" buttons, the user's own
 * settings of it. A pinned chat leads the sidebar's lists, marked 📌.
 * A mute silences the chat's push notifications on the user's phones until
 * they unmute (messages still arrive everywhere; the page itself gets no
 * pushes, and marks a muted chat with 🔕). An archive moves the chat out of the
 * sidebar's lists into "Archived" until unarchived; it still gets messages.
 * "Mark unread" keeps the chat to come back to: the page closes it, and the
 * sidebar marks it until it is opened again (reading it clears the mark).
 * "Clear history" empties the conversation up to its newest message, for this
 * user only (`app.ts` drops what a chat's `clearedSeq` covers). The timer of
 * disappearing messages is the chat's, not the user's: it changes for everyone.
 * @module
 */
import type { ChatView, RestClient } from "../src/sdk/mod.ts";
import { refusal } from "./form.ts";
import { $ } from "./view.ts";

/** What the buttons need from the page. */
export interface PreferenceOptions {
  rest: () => RestClient;
  /** The open chat, if any. */
  open: () => ChatView | undefined;
  /** The chat as the server answered. */
  changed: (chat: ChatView) => Promise<void>;
  /** The seq of the newest message the page shows of a chat, if any. */
  newestSeq: (chatId: string) => number | undefined;
}

// One setting's button: its element id, its text for the chat, and the request that flips it.
interface Setting {
  id: string;
  text: (chat: ChatView) => string;
  flip: (rest: RestClient, chat: ChatView) => Promise<ChatView>;
}

const SETTINGS: Setting[] = [
  {
    id: "mute-chat",
    text: (chat) => chat.muted ? "Unmute" : "Mute",
    flip: (rest, chat) => chat.muted ? rest.unmuteChat(chat.id) : rest.muteChat(chat.id),
  },
  {
    id: "pin-chat",
    text: (chat) => chat.pinned ? "Unpin chat" : "Pin chat",
    flip: (rest, chat) => rest.pinChat(chat.id, !chat.pinned),
  },
  {
    id: "unread-chat",
    text: (chat) => chat.markedUnread ? "Mark read" : "Mark unread",
    flip: (rest, chat) => rest.markUnread(chat.id, !chat.markedUnread),
  },
  {
    id: "archive-chat",
    text: (chat) => chat.archived ? "Unarchive" : "Archive",
    flip: (rest, chat) => rest.archiveChat(chat.id, !chat.archived),
  },
];

/** Wires the buttons; returns what draws them for the open chat. */
export function bindPreferences(options: PreferenceOptions): () => void {
  // Sends one change; the chat as answered is shown, a refusal in words.
  const apply = async (change: () => Promise<ChatView>) => {
    $("preference-error").textContent = "";
    try {
      await options.changed(await change());
    } catch (error) {
      $("preference-error").textContent = refusal(error, "Cannot reach the server");
    }
  };
  for (const setting of SETTINGS) {
    $(setting.id).onclick = () => {
      const chat = options.open();
      if (chat) apply(() => setting.flip(options.rest(), chat));
    };
  }
  // Up to the newest message shown: one arriving meanwhile is not cleared unseen.
  $("clear-chat").onclick = () => {
    const chat = options.open();
    const upToSeq = chat && options.newestSeq(chat.id);
    if (!chat || !upToSeq || !confirm("Clear this chat's history? Only for you.")) return;
    apply(() => options.rest().clearChat(chat.id, upToSeq));
  };
  const timer = $<HTMLSelectElement>("chat-timer");
  timer.onchange = () => {
    const chat = options.open();
    const seconds = timer.value ? Number(timer.value) : null;
    if (chat) apply(() => options.rest().setMessageTimer(chat.id, seconds));
  };
  return () => {
    const chat = options.open();
    timer.hidden = chat === undefined;
    if (chat) showTimer(timer, chat.messageTimer);
    for (const setting of SETTINGS) {
      const button = $(setting.id);
      button.hidden = chat === undefined;
      if (chat) button.textContent = setting.text(chat);
    }
    $("clear-chat").hidden = chat === undefined;
  };
}

// The chat's timer in the list; one set elsewhere to a time the list lacks is added to it.
function showTimer(select: HTMLSelectElement, seconds: number | undefined): void {
  const value = seconds ? String(seconds) : "";
  if (![...select.options].some((option) => option.value === value)) {
    select.add(new Option(`Disappear after ${seconds} s`, value));
  }
  select.value = value;
}
