/**
 * Blocking on the web page, in headless Chromium, two users in two browser
 * contexts: Alice blocks Bob from their open chat; both pages swap the composer
 * for a note at once and drop each other from the friends list; Alice unblocks
 * from the sidebar and both can write again.
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, register, send } from "./_browser.ts";

browserTest("web page: a user blocks a friend and unblocks them", async ({ browser, server }) => {
  const tag = crypto.randomUUID().slice(0, 6);
  const [alice, bob] = [`alice_${tag}`, `bob_${tag}`];
  const pages: Page[] = [];
  for (const name of [alice, bob]) {
    const page = await (await browser.newContext()).newPage();
    page.on("dialog", (dialog) => dialog.accept()); // "Block …?"
    await register(page, server.url, name);
    pages.push(page);
  }
  const [a, b] = pages;
  const composer = (page: Page) => page.getByRole("textbox", { name: "Message" });

  await a.getByLabel("Add a friend by username").fill(bob);
  await a.getByRole("button", { name: "Add", exact: true }).click();
  await a.locator("#chat-title").getByText(bob).waitFor();
  await send(a, "before"); // Bob's page learns of the new friend from the message
  await b.locator(`#friends li[data-user="${alice}"]`).click();
  await b.locator("#messages li .content").getByText("before").waitFor();

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
