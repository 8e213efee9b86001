/**
 * Disappearing messages on the web page, in headless Chromium: Alice turns the
 * chat's timer on; Bob's page shows the timer as the chat's, and his copy of a
 * message sent then shows until when it lasts; Alice turns it off again and
 * Bob's page follows.
 * @module
 */
import { browserTest, chattingPair, send, waitForEqual } from "./_browser.ts";

browserTest("web page: a chat's timer of disappearing messages", async ({ browser, server }) => {
  const { pages: [a, b] } = await chattingPair(browser, server.url);
  const timerOf = (page: typeof a) => page.getByLabel("Disappearing messages").inputValue();

  await a.bringToFront();
  await a.getByLabel("Disappearing messages").selectOption({ label: "Disappear after 1 hour" });
  await b.bringToFront();
  await waitForEqual(() => timerOf(b), "3600", "bob's page shows the chat's timer");

  await a.bringToFront();
  await send(a, "poof");
  await b.bringToFront();
  const poof = b.locator("#messages li", { hasText: "poof" }).locator(".meta");
  await waitForEqual(async () => (await poof.textContent())?.includes("⏱ until"), true, "⏱ shown");

  await a.bringToFront();
  await a.getByLabel("Disappearing messages").selectOption({ label: "Messages stay" });
  await b.bringToFront();
  await waitForEqual(() => timerOf(b), "", "and off again");
});
