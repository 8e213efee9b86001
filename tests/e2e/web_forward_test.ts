/**
 * Forwarding on the web page, in headless Chromium: Bob forwards Alice's
 * message from their chat to a group of his with Carol, picking the group in
 * the "Forward to" list; the group opens on his page with the message marked
 * "Forwarded", and Carol's page shows it so too.
 * @module
 */
import type { Page } from "playwright-core";
import { browserTest, chattingPair, register, waitForEqual } from "./_browser.ts";

browserTest("web page: a user forwards a message to a group", async ({ browser, server }) => {
  const { pages: [_a, b] } = await chattingPair(browser, server.url);
  const carol = `carol_${crypto.randomUUID().slice(0, 6)}`;
  const c = await (await browser.newContext()).newPage();
  await register(c, server.url, carol);
  const group = `club ${carol}`;
  await b.bringToFront();
  const shown = (page: Page) =>
    page.locator("#messages li").evaluateAll((lis) =>
      lis.map((li) =>
        [...li.querySelectorAll(".forwarded, .content")].map((s) => s.textContent).join(": ")
      )
    );

  // Bob makes the group, then goes back to Alice's message.
  await b.getByLabel("New group").fill(group);
  await b.getByLabel("Members (usernames, comma separated)").fill(carol);
  await b.getByRole("button", { name: "Create group" }).click();
  await b.locator("#chat-title").getByText(`# ${group}`).waitFor();
  await b.locator("#friends li").first().click();
  await b.locator("#messages li .content").getByText("before").waitFor();

  await b.locator("#messages li").getByRole("button", { name: "Forward" }).click();
  await b.getByRole("dialog").getByRole("button", { name: `Forward to # ${group}` }).click();
  await b.locator("#chat-title").getByText(`# ${group}`).waitFor();
  await waitForEqual(() => shown(b), ["Forwarded: before"], "bob's group shows it forwarded");
  await c.bringToFront();
  await c.locator(`#groups li[data-chat="${group}"]`).click();
  await waitForEqual(() => shown(c), ["Forwarded: before"], "and so does carol's");
});
