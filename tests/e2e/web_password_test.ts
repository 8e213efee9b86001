/**
 * The account on the web page, in headless Chromium: the same user on two
 * devices (two browser contexts). A display name set on one shows on the other
 * after a reload. A password change on one logs the other out at
 * once, which then logs in only with the new password. "Log out everywhere"
 * on one then logs out both. A screenshot is saved.
 * @module
 */
import assert from "node:assert/strict";
import { ARTIFACTS, browserTest, logIn, register } from "./_browser.ts";

browserTest(
  "web page: a display name; a password change logs out the other devices; log out everywhere",
  async ({ browser, server }) => {
    const name = `pw_${crypto.randomUUID().slice(0, 6)}`;
    const laptop = await (await browser.newContext()).newPage();
    const phone = await (await browser.newContext()).newPage();
    await register(laptop, server.url, name);
    await phone.goto(server.url);
    await logIn(phone, name, { password: "correct horse battery" });
    await phone.locator("#connection").getByText("online").waitFor();

    await laptop.getByText("Account and devices", { exact: true }).click();
    const profile = laptop.locator("#profile");
    assert.equal(await profile.getByLabel("Display name").inputValue(), name, "prefilled");
    await profile.getByLabel("Display name").fill("Lap Top");
    await profile.getByRole("button", { name: "Save name" }).click();
    await laptop.locator("#me").getByText("Lap Top").waitFor();
    assert.equal(await profile.getByLabel("Display name").inputValue(), "Lap Top");
    await phone.reload();
    await phone.locator("#me").getByText("Lap Top").waitFor(); // stored, not only shown

    const form = laptop.locator("#change-password");
    await form.getByLabel("Current password").fill("wrong password");
    await form.getByLabel("New password").fill("a brand new one");
    await form.getByRole("button").click();
    await form.getByText("Current password is wrong").waitFor();
    assert.ok(await phone.locator("#app").isVisible(), "a refused change logs no one out");

    await form.getByLabel("Current password").fill("correct horse battery");
    await form.getByLabel("New password").fill("a brand new one");
    await form.getByRole("button").click();
    await form.getByText("Password changed. Your other devices are logged out.").waitFor();
    assert.equal(await form.locator("#password-error").textContent(), "", "the refusal is gone");
    await laptop.screenshot({ path: new URL("password.png", ARTIFACTS).pathname });

    // The phone's socket is disconnected, its reconnect refused: the page shows the login form.
    await phone.locator("#login").waitFor({ state: "visible" });
    await logIn(phone, name, { password: "correct horse battery", refused: true });
    await logIn(phone, name, { password: "a brand new one" });
    assert.ok(await laptop.locator("#app").isVisible(), "the changing device stays logged in");
    assert.equal(await laptop.locator("#connection").textContent(), "online");

    await phone.locator("#connection").getByText("online").waitFor();
    await laptop.getByRole("button", { name: "Log out everywhere" }).click();
    await laptop.locator("#login").waitFor({ state: "visible" });
    await phone.locator("#login").waitFor({ state: "visible" });
    await logIn(phone, name, { password: "a brand new one" });
  },
);
