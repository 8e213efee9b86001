/**
 * A user's logins on the web page, in headless Chromium: Alice, logged in on
 * two browsers, opens "Account and devices" on one and sees both logins (this
 * page marked), logs the other one out with a click, and that browser's page
 * goes back to the login form while this one stays; "Download my data" saves
 * a copy of her data.
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, logIn, register, waitForEqual } from "./_browser.ts";

browserTest("web page: a user logs another browser out", async ({ browser, server }) => {
  const alice = `alice_${crypto.randomUUID().slice(0, 6)}`;
  const a = await (await browser.newContext()).newPage();
  await register(a, server.url, alice);
  const b = await (await browser.newContext()).newPage();
  await b.goto(server.url);
  await logIn(b, alice, { password: "correct horse battery" });
  await b.locator("#connection").getByText("online").waitFor();

  const items = (page: Page) =>
    page.locator("#sessions li").evaluateAll((lis) =>
      lis.map((li) => [...li.querySelectorAll("span")].map((s) => s.textContent).join(" | "))
    );
  await a.getByText("Account and devices").click();
  await waitForEqual(async () => (await items(a)).length, 2, "both logins listed");
  const [latest, first] = await items(a);
  assert.match(latest, /^Chrome on Linux \| active /, "the other browser, the latest");
  assert.equal(first, "Chrome on Linux | this page");

  await a.getByRole("button", { name: "Log out Chrome on Linux" }).click();
  await b.locator("#login").waitFor({ state: "visible" });
  await waitForEqual(() => items(a), ["Chrome on Linux | this page"], "one login left");
  await a.locator("#connection").getByText("online").waitFor();

  // A copy of her data, as a file of one JSON record a line.
  const [download] = await Promise.all([
    a.waitForEvent("download"),
    a.getByRole("button", { name: "Download my data" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), "chat-export.ndjson");
  const lines = (await Deno.readTextFile(await download.path())).trim().split("\n");
  const account = JSON.parse(lines[0]);
  assert.deepEqual([account.type, account.user.username], ["user", alice]);
  assert.deepEqual(lines.map((line) => JSON.parse(line).type).filter((t) => t === "session"), [
    "session",
  ]);
});
