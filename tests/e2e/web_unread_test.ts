/**
 * Unread badges on the web page, in headless Chromium: a group's entry counts
 * the messages Bob has not read, marked "@" when one mentions him; both stay
 * after a reload (the server counts them) and go once he opens the group.
 * @module
 */
import type { Page } from "playwright-core";
import { browserTest, chattingPair, send, waitForEqual } from "./_browser.ts";

browserTest("web page: unread and mention badges survive a reload", async ({ browser, server }) => {
  const { names: [alice, bob], pages: [a, b] } = await chattingPair(browser, server.url);
  const group = `club ${bob}`;
  await a.getByLabel("New group").fill(group);
  await a.getByLabel("Members (usernames, comma separated)").fill(bob);
  await a.getByRole("button", { name: "Create group" }).click();
  await a.locator("#chat-title").getByText(`# ${group}`).waitFor();
  const entry = (page: Page) => page.locator(`#groups li[data-chat="${group}"]`);
  const marks = (page: Page) =>
    entry(page).locator(".mention, .badge").evaluateAll((spans) =>
      spans.map((s) => s.getAttribute("aria-label"))
    );
  await entry(b).waitFor(); // bob's page learns of the group, his chat with alice open

  await send(a, "plain words");
  await waitForEqual(() => marks(b), ["1 unread"], "one unread, nobody mentioned");
  await send(a, `@${bob} are you in?`);
  await waitForEqual(() => marks(b), ["1 mentions", "2 unread"], "the mention marked");

  await b.reload();
  await b.locator(`#friends li[data-user="${alice}"]`).waitFor();
  await waitForEqual(() => marks(b), ["1 mentions", "2 unread"], "as the server counts them");
  await entry(b).click();
  await b.locator("#messages li .content").getByText("are you in?", { exact: false }).waitFor();
  await waitForEqual(() => marks(b), [], "read: no badge");
  await b.reload();
  await entry(b).waitFor();
  await waitForEqual(() => marks(b), [], "and none after a reload");
});
