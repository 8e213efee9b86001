/**
 * Deleting an account on the web page, in headless Chromium, two users in two
 * browser contexts: a wrong password is refused in words; the right one logs
 * Alice out for good, and Bob's open chat with her swaps the composer for a
 * note at once.
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, chattingPair, logIn } from "./_browser.ts";

browserTest("web page: a user deletes their account", async ({ browser, server }) => {
  const { names: [alice], pages } = await chattingPair(browser, server.url);
  const [a, b] = pages;
  const composer = (page: Page) => page.getByRole("textbox", { name: "Message" });

  await a.getByText("Account and devices").click();
  const password = a.getByLabel("Password to delete the account");
  await password.fill("not the password");
  await a.getByRole("button", { name: "Delete account" }).click();
  await a.locator("#delete-error").getByText("Current password is wrong").waitFor();
  assert.equal(await a.locator("#app").isVisible(), true, "still logged in");

  await password.fill("correct horse battery");
  await a.getByRole("button", { name: "Delete account" }).click();
  await a.locator("#login-form").waitFor();
  await b.locator("#blocked-note").getByText("This account was deleted.").waitFor();
  assert.equal(
    await composer(b).isVisible(),
    false,
    "no composer in a chat with a deleted account",
  );
  assert.equal(await b.locator("#block-user").isVisible(), false);
  await b.locator("#messages li .content").getByText("before").waitFor(); // history stays
  await logIn(a, alice, { password: "correct horse battery", refused: true });
});
