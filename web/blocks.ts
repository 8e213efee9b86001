/// <reference lib="dom" />
/**
 * Blocking and reporting on the page: a "Block" button and a "Report" panel in
 * an open direct chat, and the users this user blocked in the sidebar, each with
 * "Unblock". A blocked chat shows why nobody can write to it instead of the
 * composer. A block ends the friendship, so the sidebar list is where a blocked
 * user is found again. A report goes to the operators; the partner is not told.
 * A message's "Report" button opens the panel for that message, in any chat.
 * @module
 */
import type { ChatView, MessageView, ReportReason, RestClient, UserView } from "../src/sdk/mod.ts";
import { onSubmit, refusal } from "./form.ts";
import type { People } from "./people.ts";
import { $, button, el, type OpenChat, snippet } from "./view.ts";

/** What blocking needs from the page. */
export interface BlockOptions {
  rest: () => RestClient;
  me: () => string;
  people: People;
  /** The open chat, if any. */
  open: () => OpenChat | undefined;
  /** A block or unblock by this user changed its chat (read again) and friends. */
  changed: (chat?: ChatView) => Promise<void>;
}

/** The page's blocking and reporting: `load` reads the blocked users, `show` draws the open chat's part. */
export interface Blocks {
  load(): Promise<void>;
  show(): void;
  /** Opens the report panel for one message of the open chat. */
  reportMessage(message: MessageView): void;
}

/** Wires the block button and the report form; returns what loads the list and draws the open chat's state. */
export function bindBlocks(options: BlockOptions): Blocks {
  const { rest, people } = options;
  let blocked: UserView[] = [];
  const error = (text = "") => $("block-error").textContent = text;
  const other = (chat: ChatView) => chat.participantIds.find((id) => id !== options.me());

  const set = async (userId: string, block: boolean) => {
    error();
    try {
      await (block ? rest().block(userId) : rest().unblock(userId));
      await load();
      const open = options.open()?.chat;
      const chat = open && other(open) === userId ? await rest().chat(open.id) : undefined;
      await options.changed(chat);
    } catch (e) {
      error(refusal(e, block ? "Cannot block" : "Cannot unblock"));
    }
  };

  $("block-user").onclick = () => {
    const chat = options.open()?.chat;
    const userId = chat && other(chat);
    if (!userId) return;
    if (blocked.some((u) => u.id === userId)) return void set(userId, false);
    const name = people.name(userId);
    if (
      confirm(`Block ${name}? Neither of you can write to the other, and you stop being friends.`)
    ) {
      void set(userId, true);
    }
  };

  // The thanks stay with the chat they were for.
  let reportedIn: string | undefined;
  // The message being reported, if the panel was opened from one; else the partner is.
  let reporting: MessageView | undefined;
  onSubmit("report-user", "report-error", "Cannot report", async (field) => {
    const chat = options.open()?.chat;
    const userId = reporting?.senderId ?? (chat && other(chat));
    if (!chat || !userId) return async () => {};
    const reason = field("reason") as ReportReason;
    const note = field("note").trim() || undefined;
    await rest().report(userId, { reason, note, messageId: reporting?.id });
    return () => {
      reportedIn = chat.id;
      reporting = undefined;
      $("report-target").textContent = "";
      $("report-status").textContent = `Reported ${people.name(userId)}. Thank you.`;
      return Promise.resolve();
    };
  });

  async function load() {
    blocked = await rest().blocks();
    people.remember(...blocked);
    $("blocked-panel").hidden = blocked.length === 0;
    $("blocked").replaceChildren(...blocked.map((user) =>
      el(
        "li",
        {},
        people.name(user.id),
        button(`Unblock ${people.name(user.id)}`, "Unblock", () => void set(user.id, false)),
      )
    ));
    show();
  }

  function reportMessage(message: MessageView) {
    reporting = message;
    const text = snippet(message.content, 60);
    $("report-target").textContent = `Reporting ${
      people.name(message.senderId)
    }'s message “${text}”`;
    $("report-status").textContent = "";
    $("report-panel").hidden = false;
    $<HTMLDetailsElement>("report-panel").open = true;
  }

  function show() {
    const open = options.open();
    const direct = open?.chat.type === "direct" ? open.chat : undefined;
    const userId = direct && other(direct);
    // The partner deleted their account: the chat stays to read, and takes nothing.
    const ended = direct !== undefined && userId === undefined;
    const mine = blocked.some((u) => u.id === userId);
    if (reporting && reporting.chatId !== open?.chat.id) {
      reporting = undefined;
      $("report-target").textContent = "";
    }
    $("block-user").hidden = !direct || ended;
    $("report-panel").hidden = (!direct || ended) && !reporting;
    if (open?.chat.id !== reportedIn) $("report-status").textContent = "";
    $("block-user").textContent = mine ? "Unblock" : "Block";
    const note = $("blocked-note");
    note.hidden = !direct?.blocked && !ended;
    note.textContent = ended
      ? "This account was deleted."
      : mine
      ? `You blocked ${people.name(userId!)}. Unblock to write again.`
      : "You can't write to this chat.";
    if (direct?.blocked || ended) $("composer").hidden = true;
    else if (open) $("composer").hidden = false;
  }

  return { load, show, reportMessage };
}
