/**
 * A large file's upload on a slow network, in headless Chromium: Alice's page,
 * throttled to 256 KB/s upstream (as Chrome's devtools do), picks a 1.5 MB
 * file, whose first try the network cuts; its pending message shows the share sent growing by the file's name
 * (kept when a message from Bob redraws the list), then the message goes and
 * Bob gets the file whole. Another, taken back (✕) on its way, stops going up
 * and never reaches Bob; the text written after it does.
 * @module
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { within } from "../_helpers/client.ts";
import { browserTest, chattingPair, send, waitForEqual } from "./_browser.ts";

const SIZE = 1_500_000;

browserTest("web page: a large upload shows how far it got", async ({ browser, server }) => {
  const { pages: [a, b] } = await chattingPair(browser, server.url);
  const cdp = await a.context().newCDPSession(a);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 256 * 1024,
  });

  await a.bringToFront();
  // What the file's line shows, each change as the page draws it.
  const shown: string[] = [];
  await a.exposeFunction("seen", (text: string) => shown.at(-1) !== text && shown.push(text));
  await a.evaluate(`new MutationObserver(() => {
    for (const size of document.querySelectorAll("#messages [data-upload] .size")) {
      globalThis.seen(size.textContent);
    }
  }).observe(document.getElementById("messages"), {
    subtree: true, childList: true, characterData: true,
  })`);
  // The first try fails on the network (as XMLHttpRequest sees it): tried again, not failed.
  await a.route(/\/files\?/, (route) => route.abort("connectionreset"), { times: 1 });
  await a.getByLabel("Attach a file").setInputFiles({
    name: "big.zip",
    mimeType: "application/zip",
    buffer: Buffer.alloc(SIZE, 7),
  });

  await a.locator("#messages [data-upload] .size", { hasText: "%" }).waitFor();
  // Bob's message meanwhile redraws Alice's list: the share stays.
  await b.bringToFront();
  await send(b, "take your time");
  const link = b.locator("#messages li a.file", { hasText: "big.zip" });
  await link.waitFor({ timeout: 30_000 });
  await a.locator("#messages li .content", { hasText: "take your time" }).waitFor();
  const first = shown.findIndex((text) => text.endsWith("%"));
  assert.equal(shown[0], " waiting", "waiting until its turn");
  const shares = shown.slice(first).map((text) => /^ (\d+)%$/.exec(text)?.[1] ?? text);
  const numbers = shares.map(Number);
  assert.ok(numbers.every((n) => n >= 0 && n <= 100), `only shares once going: ${shown}`);
  assert.deepEqual(numbers, [...numbers].sort((x, y) => x - y), `growing: ${shown}`);
  assert.ok(numbers.filter((n) => n > 0 && n < 100).length >= 3, `on its way: ${shown}`);
  await waitForEqual(() => a.locator("#messages [data-upload]").count(), 0, "sent: not pending");
  const [download] = await Promise.all([b.waitForEvent("download"), link.click()]);
  assert.deepEqual(await Deno.readFile(await download.path()), new Uint8Array(SIZE).fill(7));

  // Another, taken back with ✕ on its way up: its upload stops, the text written after it goes.
  await a.bringToFront();
  const alerts: string[] = [];
  a.on("dialog", (dialog) => void alerts.push(dialog.message()));
  const stopped = new Promise<string>((resolve) =>
    a.on("requestfailed", (r) => r.url().includes("/files?") && resolve(r.failure()!.errorText))
  );
  await a.getByLabel("Attach a file").setInputFiles({
    name: "wrong.zip",
    mimeType: "application/zip",
    buffer: Buffer.alloc(SIZE, 8),
  });
  await a.locator("#messages [data-upload] .size", { hasText: "%" }).waitFor();
  await send(a, "never mind");
  await a.locator("#messages li:has([data-upload])").getByRole("button", { name: "Cancel" })
    .click();
  assert.equal(await within(stopped, "the upload to stop"), "net::ERR_ABORTED");
  await b.bringToFront();
  await b.locator("#messages li .content", { hasText: "never mind" }).waitFor();
  const texts = await b.locator("#messages li .content").allTextContents();
  assert.deepEqual(texts.slice(-2), ["big.zip", "never mind"], "nothing of wrong.zip");
  assert.equal(await a.locator("#messages [data-upload]").count(), 0, "gone from Alice's page");
  assert.deepEqual(alerts, [], "taken back is no failure to tell");
});
