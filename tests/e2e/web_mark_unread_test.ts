/**
 * Marking a chat unread on the web page, in headless Chromium: Bob marks his
 * chat with Alice unread, and his page closes it and marks it in the sidebar,
 * as does his other tab; opening it again reads it, and the mark goes on both
 * tabs and stays gone after a reload.
 * @module
 */
import type { Page } from "playwright-core";
import { browserTest, chattingPair, waitForEqual } from "./_browser.ts";

browserTest(
  "web page: a user marks a chat unread and comes back to it",
  async ({ browser, server }) => {
    const { names: [alice], pages: [, b] } = await chattingPair(browser, server.url);
    const entry = (page: Page) => page.locator(`#friends li[data-user="${alice}"]`);
    const badges = (page: Page) =>
      entry(page).locator(".badge").evaluateAll((spans) =>
        spans.map((s) => s.getAttribute("aria-label"))
      );
    const other = await b.context().newPage(); // the same login, in a second tab
    await other.goto(server.url);
    await entry(other).waitFor();
    await other.locator("#connection").getByText("online").waitFor(); // to hear the changes
    await b.bringToFront();

    await b.getByRole("button", { name: "Mark unread" }).click();
    await b.locator("#chat-title").getByText("Pick a friend to chat with").waitFor();
    await waitForEqual(() => badges(b), ["marked unread"], "the sidebar marks it");
    await waitForEqual(() => badges(other), ["marked unread"], "and so does the other tab");

    await entry(b).click();
    await b.locator("#messages li .content").getByText("before").waitFor();
    await waitForEqual(() => badges(b), [], "opened: read");
    await waitForEqual(() => badges(other), [], "on the other tab too");
    await b.reload();
    await entry(b).waitFor();
    await waitForEqual(() => badges(b), [], "and after a reload");
  },
);
