/**
 * A group's members on the web page, in headless Chromium, three users in three
 * browser contexts: the owner adds a member by username, who sees the group
 * appear without a reload; members who are not friends are named (by display
 * name); only the owner gets "Remove"; any member renames the group and sets
 * its description, and the others' pages follow; a removed member's page drops
 * the group, and a member who leaves is gone from the owner's list. A
 * screenshot is saved.
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { ARTIFACTS, browserTest, register, send, waitForEqual } from "./_browser.ts";

// Each entry's text: the name, then "owner" / "you" when they apply (the Remove button's text last).
const members = (page: Page) =>
  page.locator("#members li").evaluateAll((items) =>
    items.map((li) =>
      [...li.children].filter((c) => c.tagName === "SPAN").map((c) => c.textContent).join(" ")
    )
  );

browserTest(
  "web page: a group's owner adds and removes members, a member renames it, one leaves",
  async ({ browser, server }) => {
    const tag = crypto.randomUUID().slice(0, 6);
    const [alice, bob, carol] = [`alice_${tag}`, `bob_${tag}`, `carol_${tag}`];
    const pages: Page[] = [];
    for (const name of [alice, bob, carol]) {
      const page = await (await browser.newContext()).newPage();
      page.on("dialog", (dialog) => dialog.accept()); // "Remove …?" and "Leave …?"
      await register(page, server.url, name);
      pages.push(page);
    }
    const [a, b, c] = pages;
    let group = `club ${tag}`;
    const groupEntry = (page: Page) => page.locator(`#groups li[data-chat="${group}"]`);

    // Bob goes by a display name, which is what the others' pages show.
    await b.getByText("Account and devices", { exact: true }).click();
    await b.getByLabel("Display name").fill("Bob B.");
    await b.getByRole("button", { name: "Save name" }).click();
    await b.locator("#me").getByText("Bob B.").waitFor();

    await a.getByLabel("New group").fill(group);
    await a.getByLabel("Members (usernames, comma separated)").fill(bob);
    await a.getByRole("button", { name: "Create group" }).click();
    await a.locator("#chat-title").getByText(`# ${group}`).waitFor();
    await a.getByText("Members (2)").click();
    // Bob is no friend of Alice's: the page looks his name up rather than showing "someone".
    await waitForEqual(() => members(a), [`${alice} owner, you`, "Bob B."], "alice's list");

    const form = a.locator("#add-member");
    await form.getByLabel("Add a member by username").fill(`nobody_${tag}`);
    await form.getByRole("button", { name: "Add member" }).click();
    await a.locator("#member-error").getByText("User not found").waitFor();
    await form.getByLabel("Add a member by username").fill(carol);
    await form.getByRole("button", { name: "Add member" }).click();
    await waitForEqual(() => members(a), [`${alice} owner, you`, "Bob B.", carol], "carol added");
    assert.equal(await a.locator("#member-error").textContent(), "", "the refusal is gone");

    // Carol's page learns of the group from the socket, and names Bob, whom she never met.
    await groupEntry(c).click();
    await send(c, "hi all");
    await groupEntry(b).click();
    await b.locator("#messages li .sender").getByText(carol).waitFor();
    await b.getByText("Members (3)").click();
    await waitForEqual(() => members(b), [`${alice} owner`, "Bob B. you", carol], "bob's list");
    assert.equal(await b.getByRole("button", { name: /^Remove / }).count(), 0, "not bob's to do");

    // Bob is no owner, yet renames it: every open page's title and list follow, no reload.
    const groupName = b.getByLabel("Group name");
    assert.equal(await groupName.inputValue(), group, "the field holds the name");
    group = `readers ${tag}`;
    await groupName.fill(group);
    await b.getByLabel("Description").fill("books on Fridays");
    await b.getByRole("button", { name: "Save group" }).click();
    for (const page of pages) {
      await page.locator("#chat-title").getByText(`# ${group}`).waitFor();
      await page.locator("#chat-description").getByText("books on Fridays").waitFor();
      await groupEntry(page).waitFor();
    }
    assert.equal(await groupName.inputValue(), group, "and then the new name");
    await b.getByLabel("Description").fill("");
    await b.getByRole("button", { name: "Save group" }).click();
    await a.locator("#chat-description").waitFor({ state: "hidden" }); // an empty one removes it
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    await a.screenshot({ path: new URL("members.png", ARTIFACTS).pathname });

    await a.getByRole("button", { name: `Remove ${carol}` }).click();
    await waitForEqual(() => members(a), [`${alice} owner, you`, "Bob B."], "carol removed");
    await groupEntry(c).waitFor({ state: "detached" });
    await c.locator("#chat-title").getByText("Pick a friend to chat with").waitFor();
    assert.equal(await c.locator("#composer").isHidden(), true, "carol cannot write to it");
    await waitForEqual(() => members(b), [`${alice} owner`, "Bob B. you"], "bob's page follows");

    await b.getByRole("button", { name: "Leave group" }).click();
    await groupEntry(b).waitFor({ state: "detached" });
    assert.equal(await b.locator("#members-panel").isHidden(), true);
    await waitForEqual(() => members(a), [`${alice} owner, you`], "bob left");
    await a.reload();
    await groupEntry(a).click();
    await a.getByText("Members (1)").waitFor();
  },
);
