/**
 * A group's roles on the web page, in headless Chromium, three users in three
 * browser contexts: the owner makes a member an admin, whose page then offers
 * "Remove" beside members with no role (and not beside the owner); the admin
 * removes one; the owner hands the group over and steps down as admin; the new
 * owner keeps renaming and pinning for the admins, and the member's page stops
 * offering them; every open page follows without a reload. A screenshot is saved.
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { ARTIFACTS, browserTest, register, send, waitForEqual } from "./_browser.ts";

// Each entry's text: the name, then its roles ("owner", "admin", "you").
const members = (page: Page) =>
  page.locator("#members li").evaluateAll((items) =>
    items.map((li) =>
      [...li.children].filter((c) => c.tagName === "SPAN").map((c) => c.textContent).join(" ")
    )
  );

browserTest("web page: the owner names an admin, who removes a member; a handover", async ({
  browser,
  server,
}) => {
  const tag = crypto.randomUUID().slice(0, 6);
  const [alice, bob, carol] = [`alice_${tag}`, `bob_${tag}`, `carol_${tag}`];
  const pages: Page[] = [];
  for (const name of [alice, bob, carol]) {
    const page = await (await browser.newContext()).newPage();
    page.on("dialog", (dialog) => dialog.accept()); // "Remove …?" and "Make … the owner?"
    await register(page, server.url, name);
    await page.locator("#connection").getByText("online").waitFor(); // to hear of the group
    pages.push(page);
  }
  const [a, b, c] = pages;
  const group = `club ${tag}`;
  await a.getByLabel("New group").fill(group);
  await a.getByLabel("Members (usernames, comma separated)").fill(`${bob}, ${carol}`);
  await a.getByRole("button", { name: "Create group" }).click();
  await a.getByText("Members (3)").click();
  await waitForEqual(() => members(a), [`${alice} owner, you`, bob, carol], "alice's list");
  const entry = (page: Page) => page.locator(`#groups li[data-chat="${group}"]`);
  for (const page of [b, c]) await entry(page).click();
  await b.getByText("Members (3)").click();
  assert.equal(await b.getByRole("button", { name: /^Remove / }).count(), 0, "bob has no role");

  await a.getByRole("button", { name: `Make ${bob} an admin` }).click();
  await waitForEqual(() => members(b), [`${alice} owner`, `${bob} admin, you`, carol], "bob's");
  assert.equal(await b.getByRole("button", { name: `Remove ${alice}` }).count(), 0, "not her");
  await b.getByRole("button", { name: `Remove ${carol}` }).click();
  await entry(c).waitFor({ state: "detached" });
  await waitForEqual(() => members(a), [`${alice} owner, you`, `${bob} admin`], "carol gone");

  await a.getByRole("button", { name: `Make ${bob} the owner` }).click();
  await waitForEqual(() => members(b), [`${alice} admin`, `${bob} owner, you`], "handed over");
  await b.getByRole("button", { name: `Make ${alice} an admin` }).waitFor({ state: "detached" });
  await b.getByRole("button", { name: `Remove ${alice} as admin` }).waitFor();
  await a.getByRole("button", { name: "Step down as admin" }).click();
  await waitForEqual(() => members(b), [alice, `${bob} owner, you`], "alice stepped down");
  await waitForEqual(() => members(a), [`${alice} you`, `${bob} owner`], "on her page too");
  assert.equal(await a.getByRole("button", { name: /^Remove / }).count(), 0, "no role: no Remove");

  // Bob keeps renaming and pinning for the admins: Alice's page stops offering them.
  assert.equal(await a.locator("#group-permissions").isHidden(), true, "no boxes for a member");
  await a.locator("#rename-group").waitFor();
  await send(a, "rules");
  await b.locator("#messages li .content").getByText("rules").waitFor();
  await a.getByRole("button", { name: "Pin", exact: true }).waitFor();
  await b.getByLabel("rename the group and pin").check();
  await a.locator("#rename-group").waitFor({ state: "hidden" });
  await a.getByRole("button", { name: "Pin", exact: true }).waitFor({ state: "detached" });
  await b.getByRole("button", { name: "Pin", exact: true }).click(); // the owner still pins
  await a.locator("#pinned-list").getByText("rules").waitFor();
  assert.equal(await a.locator("#add-member").isVisible(), true, "adding is still hers");
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  await b.screenshot({ path: new URL("roles.png", ARTIFACTS).pathname });
  await b.getByLabel("rename the group and pin").uncheck();
  await a.locator("#rename-group").waitFor();
});
