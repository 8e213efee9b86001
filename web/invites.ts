/// <reference lib="dom" />
/**
 * Invite links on the page. In an open group's members panel, for members who
 * may add members, "Invite link" shows the group's link to copy (made when the
 * group has none that works) and "Revoke link" ends it. A page opened at a link
 * (`#invite=<code>`) shows the group it leads to, with "Join group".
 * @module
 */
import { ChatClientError, type ChatView, type RestClient } from "../src/sdk/mod.ts";
import { refusal } from "./form.ts";
import { allowed } from "./members.ts";
import { $ } from "./view.ts";

/** What the invite parts need from the page. */
export interface InviteOptions {
  rest: () => RestClient;
  me: () => string;
  /** The open chat, if any. */
  open: () => ChatView | undefined;
  /** The user joined this group: show it. */
  joined: (chat: ChatView) => Promise<void>;
}

const HASH = "#invite=";
const linkOf = (code: string) => `${location.origin}${location.pathname}${HASH}${code}`;

/** What the page does with invite links. */
export interface Invites {
  /** Draws the members panel's part for the open chat. */
  show(chat?: ChatView): void;
  /** Once logged in: offers to join the group of the link the page was opened at, if any. */
  offer(): void;
}

/** Wires the panel's buttons. */
export function bindInvites(options: InviteOptions): Invites {
  const { rest } = options;
  const url = $<HTMLInputElement>("invite-url");
  const error = (text = "") => $("invite-error").textContent = text;
  const showLink = (code?: string) => {
    url.hidden = $("invite-revoke").hidden = code === undefined;
    url.value = code === undefined ? "" : linkOf(code);
  };

  $("invite-show").onclick = async () => {
    const chat = options.open();
    if (!chat) return;
    error();
    try {
      // The link shared before, if it still works: a new one would end it.
      const invite = await rest().invite(chat.id).catch((e) => {
        if (e instanceof ChatClientError && e.code === "not_found") {
          return rest().createInvite(chat.id);
        }
        throw e;
      });
      showLink(invite.code);
      url.select();
    } catch (e) {
      error(refusal(e, "Cannot make a link"));
    }
  };
  $("invite-revoke").onclick = () => {
    const chat = options.open();
    if (!chat || !confirm("Revoke the link? Whoever has it can no longer join.")) return;
    error();
    rest().revokeInvite(chat.id).then(() => showLink(), (e) => error(refusal(e, "Cannot revoke")));
  };

  let shownFor: string | undefined;
  return {
    show(chat) {
      $("invite").hidden = chat?.type !== "group" || !allowed(chat, options.me(), "add");
      // Another chat: its link is not this one's.
      if (chat?.id !== shownFor) showLink();
      shownFor = chat?.id;
    },
    offer: () => offer(options),
  };
}

function offer(options: InviteOptions): void {
  const code = location.hash.startsWith(HASH) ? location.hash.slice(HASH.length) : "";
  if (!code) return;
  const offer = $("invite-offer");
  const done = () => {
    offer.hidden = true;
    history.replaceState(null, "", location.pathname + location.search);
  };
  options.rest().previewInvite(code).then((group) => {
    const members = `${group.memberCount} member${group.memberCount === 1 ? "" : "s"}`;
    $("invite-text").textContent = group.member
      ? `You are in ${group.name ?? "this group"} already.`
      : `Join ${group.name ?? "a group"} (${members})?`;
    $("invite-join").hidden = group.member;
    offer.hidden = false;
  }, (e) => {
    $("invite-text").textContent = refusal(e, "Cannot read the link");
    $("invite-join").hidden = true;
    offer.hidden = false;
  });
  $("invite-join").onclick = () => {
    options.rest().joinByInvite(code).then(async (chat) => {
      done();
      await options.joined(chat);
    }, (e) => $("invite-offer-error").textContent = refusal(e, "Cannot join"));
  };
  $("invite-dismiss").onclick = done;
}
