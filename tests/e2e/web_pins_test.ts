/**
 * Pinned messages on the web page, in headless Chromium: Alice pins a message,
 * both pages show it in the bar over the conversation, Bob unpins it and the
 * bar goes from both.
 * @module
 */
import type { Page } from "playwright-core";
import { browserTest, chattingPair, send } from "./_browser.ts";

const message = (page: Page, text: string) =>
  page.locator("#messages li").filter({ has: page.getByText(text, { exact: true }) });

browserTest(
  "web page: a pinned message shows on every member's page",
  async ({ browser, server }) => {
    const { names: [alice], pages: [a, b] } = await chattingPair(browser, server.url);
    await send(a, "meet at noon");
    await message(b, "meet at noon").waitFor();

    await message(a, "meet at noon").getByRole("button", { name: "Pin", exact: true }).click();
    for (const page of [a, b]) {
      await page.locator("#pinned-list li").getByText("meet at noon").waitFor();
    }
    await b.locator("#pinned-list li").getByText(`📌 ${alice}: meet at noon`).waitFor();

    await message(b, "meet at noon").getByRole("button", { name: "Unpin", exact: true }).click();
    for (const page of [a, b]) await page.locator("#pinned").waitFor({ state: "hidden" });
    await message(a, "meet at noon").getByRole("button", { name: "Pin", exact: true }).waitFor();
  },
);
