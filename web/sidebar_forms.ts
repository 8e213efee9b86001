/// <reference lib="dom" />
/**
 * The sidebar's forms: add a friend by username, create a group of friends,
 * set the display name, change the password, log out everywhere and delete the
 * account. Each shows the server's refusal in words under the form.
 * @module
 */
import type { ChatView, RestClient, UserView } from "../src/sdk/mod.ts";
import { onSubmit, refusal } from "./form.ts";
import { $ } from "./view.ts";

/** What the forms call: the REST client of the session, and what to do after each. */
export interface SidebarActions {
  rest: () => RestClient;
  friendAdded: (user: UserView) => Promise<void>;
  groupCreated: (chat: ChatView) => Promise<void>;
  /** The user's profile changed (their display name). */
  profileSaved: (user: UserView) => void;
  /** Every login ended, this one's too: leave the page's session. */
  loggedOutEverywhere: () => void;
  /** The account is gone: leave the page's session. */
  accountDeleted: () => void;
}

/** Shows the logged-in user's name at the top, and in the display name field to edit. */
export function showMe(user: UserView): void {
  $("me").textContent = user.displayName || user.username;
  const form = $<HTMLFormElement>("profile");
  (form.elements.namedItem("displayName") as HTMLInputElement).value = user.displayName;
  $<HTMLInputElement>("hide-presence").checked = user.hidePresence === true;
  $<HTMLInputElement>("read-receipts").checked = user.readReceipts !== false;
}

/** Wires the sidebar's forms and "log out everywhere". */
export function bindSidebarForms(actions: SidebarActions): void {
  onSubmit("add-friend", "friend-error", "Cannot add", async (field) => {
    const user = await actions.rest().findUser(field("username").trim());
    await actions.rest().addFriend(user.id);
    return () => actions.friendAdded(user);
  });
  onSubmit("new-group", "group-error", "Cannot create", async (field) => {
    const usernames = field("members").split(",").map((u) => u.trim()).filter(Boolean);
    const members = await Promise.all(usernames.map((u) => actions.rest().findUser(u)));
    const chat = await actions.rest().createGroup(field("name").trim(), members.map((u) => u.id));
    return () => actions.groupCreated(chat);
  });
  onSubmit("profile", "profile-error", "Cannot save the name", async (field) => {
    const user = await actions.rest().updateProfile({ displayName: field("displayName").trim() });
    return () => {
      showMe(user);
      actions.profileSaved(user);
      return Promise.resolve();
    };
  });
  onSubmit("change-password", "password-error", "Cannot change the password", async (field) => {
    $("password-done").textContent = "";
    await actions.rest().changePassword(field("current"), field("next"));
    // This login stays; the server has just logged out every other one.
    return () => {
      $("password-done").textContent = "Password changed. Your other devices are logged out.";
      return Promise.resolve();
    };
  });
  onSubmit("delete-account", "delete-error", "Cannot delete the account", async (field) => {
    const sure = confirm(
      "Delete your account for good? Your chats and friends go; what you sent stays with the others.",
    );
    if (!sure) return () => Promise.resolve();
    await actions.rest().deleteAccount(field("password"));
    return () => Promise.resolve(actions.accountDeleted());
  });
  onToggle(
    "hide-presence",
    (on) => actions.rest().hidePresence(on),
    (u) => u.hidePresence === true,
  );
  onToggle(
    "read-receipts",
    (on) => actions.rest().setReadReceipts(on),
    (u) => u.readReceipts !== false,
  );
  $("logout-all").onclick = async () => {
    try {
      await actions.rest().logoutEverywhere();
      actions.loggedOutEverywhere();
    } catch (error) {
      // Not logged out locally: the user asked to end the other devices, and they may not be.
      $("logout-all-error").textContent = refusal(error, "Cannot log out everywhere");
    }
  };
}

// A privacy box takes effect at once, and shows what the server answered.
function onToggle(
  id: string,
  set: (on: boolean) => Promise<UserView>,
  shown: (user: UserView) => boolean,
): void {
  const box = $<HTMLInputElement>(id);
  box.onchange = async () => {
    $("privacy-error").textContent = "";
    try {
      box.checked = shown(await set(box.checked));
    } catch (error) {
      box.checked = !box.checked;
      $("privacy-error").textContent = refusal(error, "Cannot change that");
    }
  };
}
