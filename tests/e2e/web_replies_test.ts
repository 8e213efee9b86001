/**
 * Replies on the web page, in headless Chromium: Bob replies to Alice's
 * message, both pages show the quote above the reply, a cancelled reply sends
 * a plain message, and when Alice deletes the quoted message the quote on Bob's
 * page says so. A screenshot is saved as an artifact.
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { ARTIFACTS, browserTest, chattingPair, send } from "./_browser.ts";

const message = (page: Page, text: string) =>
  page.locator("#messages li").filter({ has: page.getByText(text, { exact: true }) });
const quote = (page: Page, text: string) => message(page, text).locator(".quote");

browserTest(
  "web page: a reply quotes its message, and the quote follows a delete",
  async ({ browser, server }) => {
    const { names: [alice], pages: [a, b] } = await chattingPair(browser, server.url);

    await message(b, "before").getByRole("button", { name: "Reply" }).click();
    await b.locator("#reply-bar").getByText(`Replying to ${alice}: before`).waitFor();
    await send(b, "after");
    await b.locator("#reply-bar").waitFor({ state: "hidden" });
    await quote(b, "after").getByText(`${alice}: before`).waitFor();
    await quote(a, "after").getByText("You: before").waitFor();

    await message(b, "after").getByRole("button", { name: "Reply" }).click();
    await b.getByRole("button", { name: "Cancel reply" }).click();
    await send(b, "plain");
    await message(a, "plain").waitFor();
    assert.equal(await quote(a, "plain").count(), 0, "a cancelled reply sends a plain message");

    await message(a, "before").getByRole("button", { name: "Delete" }).click();
    await quote(b, "after").getByText(`${alice}: (deleted)`).waitFor();
    await b.screenshot({ path: new URL("replies.png", ARTIFACTS).pathname });
  },
);
