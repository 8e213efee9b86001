/**
 * Blocking on the web page, in headless Chromium, two users in two browser
 * contexts: Alice blocks Bob from their open chat; both pages swap the composer
 * for a note at once and drop each other from the friends list; Alice unblocks
 * from the sidebar and both can write again.
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
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
