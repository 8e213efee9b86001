/**
 * Blocking on the web page, in headless Chromium, two users in two browser
 * contexts: Alice blocks Bob from their open chat; both pages swap the composer
 * for a note at once and drop each other from the friends list; Alice unblocks
 * from the sidebar and both can write again. Alice reports Bob, then one of
 * his messages, and the operators find both reports.
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { api } from "../_helpers/client.ts";
import { ADMIN_TOKEN } from "../_helpers/server.ts";
import { browserTest, chattingPair, send } from "./_browser.ts";

browserTest("web page: a user blocks a friend and unblocks them", async ({ browser, server }) => {
  const { names: [alice, bob], pages } = await chattingPair(browser, server.url);
  const [a, b] = pages;
  const composer = (page: Page) => page.getByRole("textbox", { name: "Message" });

  await a.locator("#block-user").getByText("Block", { exact: true }).click();
  await a.locator("#blocked-note").getByText(`You blocked ${bob}. Unblock to write again.`)
    .waitFor();
  await b.locator("#blocked-note").getByText("You can't write to this chat.").waitFor();
  for (const page of pages) {
    assert.equal(await composer(page).isVisible(), false, "no composer in a blocked chat");
  }
  await b.locator(`#friends li[data-user="${alice}"]`).waitFor({ state: "detached" });
  assert.equal(await a.locator("#friends li").count(), 0, "the friendship ended");
  assert.equal(await a.locator("#block-user").textContent(), "Unblock");
  await a.locator("#blocked-panel summary").click();
  await a.locator("#blocked").getByText(bob).waitFor();

  await a.getByRole("button", { name: `Unblock ${bob}` }).click();
  await a.locator("#blocked-panel").waitFor({ state: "hidden" });
  await composer(a).waitFor();
  await composer(b).waitFor();
  assert.equal(await a.locator("#block-user").textContent(), "Block");
  await send(b, "after");
  await a.locator("#messages li .content").getByText("after").waitFor();
});

browserTest("web page: a user reports a chat partner", async ({ browser, server }) => {
  const { names: [, bob], pages: [a, b] } = await chattingPair(browser, server.url);
  await a.locator("#report-panel summary").click();
  await a.getByLabel("Reason").selectOption("harassment");
  await a.getByLabel("Note for the moderators").fill("keeps insulting me");
  await a.getByRole("button", { name: "Send report" }).click();
  await a.locator("#report-status").getByText(`Reported ${bob}. Thank you.`).waitFor();

  const { body: { reports } } = await api(server.url, "GET", "/api/admin/reports", {
    token: ADMIN_TOKEN,
  });
  const { body: { user } } = await api(server.url, "POST", "/api/auth/login", {
    body: { username: bob, password: "correct horse battery" },
  });
  assert.deepEqual(
    reports.map((
      r: { userId: string; reason: string; note: string },
    ) => [r.userId, r.reason, r.note]),
    [[user.id, "harassment", "keeps insulting me"]],
  );

  // A message's own "Report" button reports that message, with a copy of it.
  await send(b, "buy followers now");
  await a.locator("#messages li").filter({ hasText: "buy followers now" })
    .getByRole("button", { name: "Report" }).click();
  await a.locator("#report-target").getByText(`Reporting ${bob}'s message “buy followers now”`)
    .waitFor();
  await a.getByLabel("Reason").selectOption("spam");
  await a.getByRole("button", { name: "Send report" }).click();
  await a.locator("#report-status").getByText(`Reported ${bob}. Thank you.`).waitFor();
  assert.equal(await a.locator("#report-target").textContent(), "");
  const { body: { reports: [newest] } } = await api(server.url, "GET", "/api/admin/reports", {
    token: ADMIN_TOKEN,
  });
  assert.deepEqual([newest.userId, newest.reason, newest.message?.content], [
    user.id,
    "spam",
    "buy followers now",
  ]);
}, { env: { ADMIN_TOKEN } });
