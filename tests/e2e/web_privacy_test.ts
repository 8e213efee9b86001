/**
 * Privacy on the web page, in headless Chromium. Bob ticks "Hide when I'm online
 * and last seen", and Alice's page stops showing him online at once and shows no
 * last seen after a reload; his box stays ticked after his own reload; unticked,
 * Alice's page shows him online again. Bob unticks "Send read receipts": what he
 * reads shows delivered on Alice's page, until he ticks it again.
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { sleep } from "../_helpers/client.ts";
import { browserTest, chattingPair, send, waitForEqual } from "./_browser.ts";

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

const ticks = (page: Page) =>
  page.locator("#messages li.mine .tick").evaluateAll((all) =>
    all.map((t) => t.getAttribute("data-status"))
  );

browserTest("web page: a user stops sending read receipts", async ({ browser, server }) => {
  const { names: [alice], pages: [a, b] } = await chattingPair(browser, server.url);
  await waitForEqual(() => ticks(a), ["read"], "Bob read the first");
  await b.getByText("Account and devices", { exact: true }).click();
  const box = b.getByLabel("Send read receipts");
  assert.equal(await box.isChecked(), true, "on by default");
  await box.uncheck();
  await b.reload();
  await b.getByText("Account and devices", { exact: true }).click();
  assert.equal(await box.isChecked(), false, "the setting is the server's");
  await b.locator(`#friends li[data-user="${alice}"]`).click();
  await b.locator("#connection").getByText("online").waitFor();

  await send(a, "quietly");
  await b.locator("#messages li .content").getByText("quietly").waitFor();
  await waitForEqual(() => ticks(a), ["read", "delivered"], "delivered, not read");
  await sleep(1000); // Bob's page has read it by now: no read tick follows
  assert.deepEqual(await ticks(a), ["read", "delivered"]);

  await box.check();
  await send(a, "again");
  await waitForEqual(() => ticks(a), ["read", "read", "read"], "his next read tells both");
});
