/**
 * Clearing a chat's history on the web page, in headless Chromium: Bob clears
 * his chat with Alice, and the conversation empties on his page and on his
 * other tab at once (`chat:preferences`), stays empty after a reload, and shows
 * what comes next; Alice's page keeps every message.
 * @module
 */
import { browserTest, chattingPair, send, waitForEqual } from "./_browser.ts";

browserTest(
  "web page: a user clears a chat's history for themselves",
  async ({ browser, server }) => {
    const { names: [alice], pages: [a, b] } = await chattingPair(browser, server.url);
    const shown = (page = b) => page.locator("#messages li .content").allTextContents();
    await send(a, "second");
    await b.locator("#messages li .content").getByText("second").waitFor();
    const other = await b.context().newPage(); // the same login, in a second tab
    await other.goto(server.url);
    await other.locator(`#friends li[data-user="${alice}"]`).click();
    await other.locator("#messages li .content").getByText("second").waitFor();
    await other.locator("#connection").getByText("online").waitFor(); // to hear the clear
    await b.bringToFront(); // a tab left in the background is painted, and clicked, slowly

    await b.getByRole("button", { name: "Clear history" }).click(); // the dialog is accepted
    await waitForEqual(() => shown(), [], "bob's page is empty");
    await waitForEqual(() => shown(other), [], "and so is his other tab");
    await waitForEqual(() => shown(a), ["before", "second"], "alice keeps hers");

    await b.reload();
    await b.locator(`#friends li[data-user="${alice}"]`).click();
    await b.locator("#connection").getByText("online").waitFor();
    await send(a, "third");
    await waitForEqual(() => shown(), ["third"], "after a reload, only what came next");
  },
);
