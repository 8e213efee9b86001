/**
 * A user's own settings of a chat on the web page, in headless Chromium. Muting: Bob mutes his chat with
 * Alice, the title and the sidebar show it, his other tab shows it at once (`chat:preferences`), it
 * is still muted after a reload (the server keeps it), messages still arrive, and he unmutes it.
 * Archiving: the chat moves to the sidebar's "Archived" on both of his tabs, still
 * gets messages, and comes back when unarchived. Pinning: a pinned group leads the list, marked
 * 📌, on both tabs.
 * @module
 */
import { browserTest, chattingPair, send, waitForEqual } from "./_browser.ts";

browserTest(
  "web page: a user mutes, archives and pins chats, and undoes each",
  async ({ browser, server }) => {
    const { names: [alice], pages: [a, b] } = await chattingPair(browser, server.url);
    const toggle = b.locator("#mute-chat");
    const other = await b.context().newPage(); // the same login, in a second tab
    await other.goto(server.url);
    const elsewhere = other.locator(`#friends li[data-user="${alice}"] .muted`);
    await other.locator(`#friends li[data-user="${alice}"]`).waitFor();
    await other.locator("#connection").getByText("online").waitFor(); // to hear the changes
    // Clicks wait for the page to paint: a tab left in the background is painted rarely.
    await b.bringToFront();
    await toggle.getByText("Mute", { exact: true }).click();
    await toggle.getByText("Unmute", { exact: true }).waitFor();
    await b.locator("#chat-title").getByText(`${alice} 🔕`).waitFor();
    await b.locator(`#friends li[data-user="${alice}"] .muted`).waitFor(); // in the sidebar too
    await elsewhere.waitFor();

    await send(a, "still arrives");
    await b.locator("#messages li .content").getByText("still arrives").waitFor();

    await b.reload();
    await b.locator(`#friends li[data-user="${alice}"]`).click();
    await toggle.getByText("Unmute", { exact: true }).waitFor();
    await toggle.click();
    await toggle.getByText("Mute", { exact: true }).waitFor();
    await b.locator("#chat-title").getByText(alice, { exact: true }).waitFor();
    await b.locator(`#friends li[data-user="${alice}"] .muted`).waitFor({ state: "detached" });
    await elsewhere.waitFor({ state: "detached" });

    const archive = b.locator("#archive-chat");
    const archivedOn = (page = b) => page.locator(`#archived-friends li[data-user="${alice}"]`);
    await archive.getByText("Archive", { exact: true }).click();
    await archive.getByText("Unarchive", { exact: true }).waitFor();
    await b.locator("#archived-panel summary").click();
    await archivedOn().waitFor();
    await b.locator(`#friends li[data-user="${alice}"]`).waitFor({ state: "detached" });
    await b.locator("#archived-count").getByText("(1)").waitFor({ state: "attached" });
    await archivedOn(other).waitFor({ state: "attached" }); // the other tab follows
    await send(a, "archived, not gone");
    await b.locator("#messages li .content").getByText("archived, not gone").waitFor();
    await archive.click();
    await b.locator(`#friends li[data-user="${alice}"]`).waitFor();
    await archivedOn(other).waitFor({ state: "detached" });
    await b.locator("#archived-panel").waitFor({ state: "hidden" });

    // Two groups, "first" then "second".
    for (const name of ["first", "second"]) {
      await b.getByLabel("New group").fill(name);
      await b.getByLabel("Members (usernames, comma separated)").fill(alice);
      await b.getByRole("button", { name: "Create group" }).click();
      await b.locator("#chat-title").getByText(`# ${name}`).waitFor();
    }
    const groups = (page = b) =>
      page.locator("#groups li").evaluateAll((items) =>
        items.map((li) =>
          `${li.getAttribute("data-chat")}${li.querySelector(".pinned") ? " 📌" : ""}`
        )
      );
    // "second" is open and listed last: pinned, it leads, on both tabs, until unpinned.
    const pinChat = b.locator("#pin-chat");
    await pinChat.getByText("Pin chat", { exact: true }).click();
    await waitForEqual(() => groups(), ["second 📌", "first"], "pinned first");
    await waitForEqual(() => groups(other), ["second 📌", "first"], "on the other tab too");
    await pinChat.getByText("Unpin chat", { exact: true }).click();
    await waitForEqual(() => groups(), ["first", "second"], "back in its place");
  },
);
