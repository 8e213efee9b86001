/**
 * Invite links on the web page, in headless Chromium: a group's owner gets the
 * group's link from its members panel (the same link again on a second click);
 * a stranger, logged in, opens it in a new tab, sees the group's name and size
 * and joins with a click, and the group opens on their page and shows in the
 * owner's members; once the owner revokes the link, a page opened at it says
 * so and offers no join.
 * @module
 */
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { browserTest, register, waitForEqual } from "./_browser.ts";

browserTest(
  "web page: a stranger joins a group by its invite link",
  async ({ browser, server }) => {
    const tag = crypto.randomUUID().slice(0, 6);
    const [alice, bob, carol, dave] = ["alice", "bob", "carol", "dave"].map((n) => `${n}_${tag}`);
    const contexts: BrowserContext[] = [];
    const pages: Page[] = [];
    for (const name of [alice, bob, carol, dave]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on("dialog", (dialog) => dialog.accept()); // "Revoke the link?"
      await register(page, server.url, name);
      contexts.push(context);
      pages.push(page);
    }
    const [a] = pages;
    const group = `club ${tag}`;
    await a.getByLabel("New group").fill(group);
    await a.getByLabel("Members (usernames, comma separated)").fill(bob);
    await a.getByRole("button", { name: "Create group" }).click();
    await a.locator("#chat-title").getByText(`# ${group}`).waitFor();
    await a.getByText("Members (2)").click();

    await a.getByRole("button", { name: "Invite link" }).click();
    const field = a.getByLabel("Invite link", { exact: true });
    await field.waitFor();
    const link = await field.inputValue();
    assert.match(link, new RegExp(`^${server.url}/#invite=[A-Za-z0-9_-]{22}$`));
    await a.getByRole("button", { name: "Invite link" }).click();
    assert.equal(await field.inputValue(), link, "the link shared before, not a new one");

    // Carol, logged in, opens the link in a new tab of her browser.
    const tab = await contexts[2].newPage();
    await tab.goto(link);
    const offer = tab.getByRole("dialog");
    await offer.getByText(`Join ${group} (2 members)?`).waitFor();
    await offer.getByRole("button", { name: "Join group" }).click();
    await tab.locator("#chat-title").getByText(`# ${group}`).waitFor();
    assert.equal(await offer.isHidden(), true, "the offer is gone");
    assert.equal(new URL(tab.url()).hash, "", "and so is the code, from the address");
    await a.getByText("Members (3)").waitFor();
    await waitForEqual(
      () => a.locator("#members li").count(),
      3,
      "the owner's panel lists her",
    );

    await a.getByRole("button", { name: "Revoke link" }).click();
    await field.waitFor({ state: "hidden" });
    const late = await contexts[3].newPage();
    await late.goto(link);
    await late.getByRole("dialog").getByText("Invite link not found").waitFor();
    assert.equal(await late.getByRole("button", { name: "Join group" }).isHidden(), true);
    assert.equal(await late.locator(`#groups li[data-chat="${group}"]`).count(), 0);
  },
);
