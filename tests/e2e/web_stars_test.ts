/**
 * Starred messages on the web page, in headless Chromium: Bob stars a message
 * of Alice's, the sidebar's "Starred" lists it and his second tab shows it at
 * once; from a group, a click on the star opens the direct chat, scrolled to
 * the message above thirty newer ones; he unstars it in the second tab and the
 * first follows; a reload still shows a star.
 * @module
 */
import { browserTest, chattingPair, send } from "./_browser.ts";
import type { Page } from "playwright-core";
import { until } from "../_helpers/client.ts";

browserTest("web page: a user stars messages and finds them again", async ({ browser, server }) => {
  const { names: [alice], pages: [a, b] } = await chattingPair(browser, server.url);
  // The message "before" on a page, and its star button either way.
  const before = (page: Page) =>
    page.locator("#messages li").filter({
      has: page.locator(".content").getByText("before", { exact: true }),
    });
  const star = (page = b) => before(page).getByRole("button", { name: "Star", exact: true });
  const unstar = (page = b) => before(page).getByRole("button", { name: "Unstar", exact: true });
  const other = await b.context().newPage(); // the same login, in a second tab
  await other.goto(server.url);
  await other.locator(`#friends li[data-user="${alice}"]`).click();
  await other.locator("#messages li .content").getByText("before").waitFor();
  await other.locator("#connection").getByText("online").waitFor(); // to hear the changes
  // Clicks wait for the page to paint: a tab left in the background is painted rarely.
  await b.bringToFront();

  await star().click();
  await unstar().waitFor();
  const entry = b.locator("#starred li").getByText(`★ ${alice}: before`);
  await b.getByText("Starred", { exact: true }).click();
  await entry.waitFor();
  await unstar(other).waitFor(); // the other tab follows

  // From another chat, the star opens the conversation that holds it.
  await b.getByLabel("New group").fill("club");
  await b.getByLabel("Members (usernames, comma separated)").fill(alice);
  await b.getByRole("button", { name: "Create group" }).click();
  await b.locator("#chat-title").getByText("# club").waitFor();
  // Enough newer messages that "before" is far above the newest, where the chat opens.
  for (let i = 0; i < 30; i++) await send(a, `later ${i}`);
  await send(a, "after");
  await entry.click();
  await b.locator("#chat-title").getByText(alice, { exact: true }).waitFor();
  await b.locator("#messages li .content").getByText("after").waitFor();
  // The star's link shows its message: "before" is scrolled into the conversation's view.
  await until("the starred message scrolled into view", () =>
    before(b).evaluate((li) => {
      const list = li.parentElement!.getBoundingClientRect();
      const item = li.getBoundingClientRect();
      return item.bottom > list.top && item.top < list.bottom;
    }), 5000);

  await unstar(other).click();
  await star(other).waitFor();
  await b.locator("#starred-panel").waitFor({ state: "hidden" });
  await star().waitFor();

  await star().click(); // "before" again, then a reload keeps it
  await b.reload();
  await b.locator("#starred li").getByText(`★ ${alice}: before`).waitFor({ state: "attached" });
});
