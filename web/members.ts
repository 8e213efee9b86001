/// <reference lib="dom" />
/**
 * The open group's members under its title: who is in it, the owner and admins
 * marked; for the owner, buttons beside each other member to make them an admin
 * (or no longer), the owner, or remove them; for an admin, "Remove" beside
 * members with no role and "Step down" beside themselves; the group's name and
 * description to change and a form to add someone by username (unless kept for the admins),
 * the boxes that keep those for the admins (owner and admins), and "Leave group". Hidden for
 * direct chats. Removing, leaving and handing over ask first: none can be
 * undone by the one who did it.
 * @module
 */
import type { ChatView, RestClient } from "../src/sdk/mod.ts";
import { onSubmit, refusal } from "./form.ts";
import type { People } from "./people.ts";
import { $, button, el } from "./view.ts";

/**
 * Whether the user may add members (`add`) or rename and pin (`edit`) in a
 * chat, as the server decides it: always in a direct chat, and in a group
 * unless it keeps that for its owner and admins.
 */
export function allowed(chat: ChatView, me: string, action: "add" | "edit"): boolean {
  return chat.type !== "group" || chat.permissions?.[action] !== "admins" || isAdmin(chat, me);
}

// The group's owner or one of its admins.
const isAdmin = (chat: ChatView, userId: string) =>
  chat.ownerId === userId || (chat.adminIds ?? []).includes(userId);

/** What the panel needs from the page. */
export interface MembersOptions {
  rest: () => RestClient;
  me: () => string;
  people: People;
  /** The open chat, if any. */
  open: () => ChatView | undefined;
  /** The group as the server answered after a change by this user. */
  changed: (chat: ChatView) => Promise<void>;
  /** This user left the group. */
  left: (chatId: string) => void;
}

/** Wires the add form and the leave button; returns the function that shows a chat's members. */
export function bindMembers(options: MembersOptions): (chat?: ChatView) => void {
  const { rest, people } = options;
  const error = (text = "") => $("member-error").textContent = text;
  const fail = (fallback: string) => (e: unknown) => error(refusal(e, fallback));

  onSubmit("add-member", "member-error", "Cannot add", async (field) => {
    const chat = options.open();
    if (!chat) return () => Promise.resolve();
    const user = await rest().findUser(field("username").trim());
    people.remember(user);
    const updated = await rest().addParticipant(chat.id, user.id);
    return () => options.changed(updated);
  });

  onSubmit("rename-group", "member-error", "Cannot save", async (field) => {
    const chat = options.open();
    if (!chat) return () => Promise.resolve();
    // An empty description removes it.
    const description = field("description").trim() || null;
    const updated = await rest().updateGroup(chat.id, { name: field("name").trim(), description });
    return () => options.changed(updated);
  });

  // Each box keeps one permission for the admins; the server answers with the group.
  const boxes = $("group-permissions").querySelectorAll<HTMLInputElement>("input");
  for (const box of boxes) {
    box.onchange = () => {
      const chat = options.open();
      if (!chat) return;
      error();
      const change = { [box.name]: box.checked ? "admins" : "members" };
      rest().setPermissions(chat.id, change).then(options.changed, fail("Cannot change that"));
    };
  }

  $("leave-group").onclick = () => {
    const chat = options.open();
    if (!chat || !confirm(`Leave ${chat.name ?? "the group"}?`)) return;
    error();
    rest().leaveChat(chat.id).then(() => options.left(chat.id), fail("Cannot leave"));
  };

  const remove = (chat: ChatView, userId: string) => {
    if (!confirm(`Remove ${people.name(userId)} from ${chat.name ?? "the group"}?`)) return;
    error();
    rest().removeParticipant(chat.id, userId).then(options.changed, fail("Cannot remove"));
  };
  const setAdmin = (chat: ChatView, userId: string, admin: boolean) => {
    error();
    rest().setAdmin(chat.id, userId, admin).then(options.changed, fail("Cannot change roles"));
  };
  const handOver = (chat: ChatView, userId: string) => {
    if (!confirm(`Make ${people.name(userId)} the owner? You stay an admin.`)) return;
    error();
    rest().handOver(chat.id, userId).then(options.changed, fail("Cannot hand over"));
  };

  // The buttons beside a member: what the viewer's role lets them do to that member.
  const actions = (chat: ChatView, id: string, me: string): HTMLElement[] => {
    const name = people.name(id);
    const admins = chat.adminIds ?? [];
    if (id === me) {
      return admins.includes(me)
        ? [button("Step down as admin", "Step down", () => setAdmin(chat, me, false))]
        : [];
    }
    const removeButton = button(`Remove ${name}`, "Remove", () => remove(chat, id));
    if (chat.ownerId !== me) {
      // An admin removes members with no role, as the server allows.
      const plain = id !== chat.ownerId && !admins.includes(id);
      return admins.includes(me) && plain ? [removeButton] : [];
    }
    const admin = admins.includes(id);
    return [
      admin
        ? button(`Remove ${name} as admin`, "Unmake admin", () => setAdmin(chat, id, false))
        : button(`Make ${name} an admin`, "Make admin", () => setAdmin(chat, id, true)),
      button(`Make ${name} the owner`, "Make owner", () => handOver(chat, id)),
      removeButton,
    ];
  };

  return (chat) => {
    const panel = $("members-panel");
    panel.hidden = chat?.type !== "group";
    if (!chat || chat.type !== "group") return;
    const me = options.me();
    $("members-count").textContent = `(${chat.participantIds.length})`;
    $("rename-group").hidden = !allowed(chat, me, "edit");
    $("add-member").hidden = !allowed(chat, me, "add");
    $("group-permissions").hidden = !isAdmin(chat, me);
    for (const box of boxes) {
      box.checked = chat.permissions?.[box.name as "add" | "edit"] === "admins";
    }
    // The form's reset after a save goes back to the defaults: the profile as it is now.
    const form = $<HTMLFormElement>("rename-group");
    for (const [field, value] of [["name", chat.name], ["description", chat.description]]) {
      const input = form.elements.namedItem(field!) as HTMLInputElement;
      input.defaultValue = value ?? "";
      if (document.activeElement !== input) input.value = input.defaultValue;
    }
    $("members").replaceChildren(...chat.participantIds.map((id) => {
      const roles = [
        id === chat.ownerId && "owner",
        chat.adminIds?.includes(id) && "admin",
        id === me && "you",
      ].filter(Boolean);
      return el(
        "li",
        { "data-user": people.username(id) ?? "" },
        el("span", {}, people.name(id)),
        ...(roles.length ? [el("span", { class: "role" }, roles.join(", "))] : []),
        ...actions(chat, id, me),
      );
    }));
  };
}
