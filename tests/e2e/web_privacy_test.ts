/**
 * Hiding one's presence on the web page, in headless Chromium: Bob ticks "Hide
 * when I'm online and last seen", and Alice's page stops showing him online at
 * once and shows no last seen after a reload; his box stays ticked after his
 * own reload; unticked, Alice's page shows him online again.
 * @module
 */
import assert from "node:assert/strict";
import { browserTest, chattingPair } from "./_browser.ts";

browserTest("web page: a user hides being online and last seen", async ({ browser, server }) => {
  const { names: [, bob], pages: [a, b] } = await chattingPair(browser, server.url);
  const bobOnline = a.locator(`#friends li[data-user="${bob}"] .dot.online`);
  await bobOnline.waitFor();
  await b.getByText("Account and devices", { exact: true }).click();
  const box = b.getByLabel("Hide when I'm online and last seen");
  await box.check();
  await bobOnline.waitFor({ state: "detached" });
  await a.reload();
  const entry = a.locator(`#friends li[data-user="${bob}"]`);
  await entry.waitFor();
  await a.locator("#connection").getByText("online").waitFor(); // to hear Bob come back
  assert.equal(await entry.locator(".seen").textContent(), "", "no last seen either");
  assert.equal(await entry.locator(".dot.online").count(), 0);

  await b.reload();
  await b.getByText("Account and devices", { exact: true }).click();
  assert.equal(await box.isChecked(), true, "the setting is the server's");
  await box.uncheck();
  await bobOnline.waitFor();
});
