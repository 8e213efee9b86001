/**
 * The web page on a phone's screen, in headless Chromium: one pane at a time.
 * An open chat takes the whole width, with ← back to the list; the list shows
 * a message that arrives meanwhile as unread (the chat is closed, not read),
 * and opening it from there shows the conversation again. A wide screen shows
 * both panes and no ←.
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, chattingPair, send, waitForEqual } from "./_browser.ts";

const PHONE = { width: 390, height: 844 };
const visible = (page: Page, selector: string) => page.locator(selector).isVisible();
const widthOf = (page: Page, selector: string) =>
  page.locator(selector).evaluate((e) => Math.round(e.getBoundingClientRect().width));

browserTest("web page: one pane at a time on a phone", async ({ browser, server }) => {
  const { names: [alice], pages: [a, b] } = await chattingPair(browser, server.url);
  assert.equal(await visible(b, "#back"), false, "no ← on a wide screen");
  assert.equal(await visible(b, "aside"), true, "both panes on a wide screen");

  await b.setViewportSize(PHONE);
  assert.equal(await visible(b, "aside"), false, "the open chat alone");
  assert.equal(await widthOf(b, "#conversation"), PHONE.width, "the whole width");
  assert.ok(await widthOf(b, "#text") > PHONE.width / 2, "room to write");

  await b.getByRole("button", { name: "Back to chats" }).click();
  assert.equal(await visible(b, "#conversation"), false, "the list alone");
  assert.equal(await widthOf(b, "aside"), PHONE.width);

  await a.bringToFront();
  await send(a, "are you there?");
  await b.bringToFront();
  const entry = b.locator(`#friends li[data-user="${alice}"]`);
  await waitForEqual(
    () => entry.locator(".badge").textContent(),
    "1",
    "unread: the chat was closed, not read",
  );

  await entry.click();
  await b.locator("#messages li .content").getByText("are you there?").waitFor();
  assert.equal(await visible(b, "aside"), false, "the chat alone again");
  await waitForEqual(() => entry.locator(".badge").count(), 0, "read once opened");
});
