/**
 * A suspension seen from the web page, in headless Chromium: the open page of
 * a user the operators suspend goes to the login form at once, a login there
 * says the account is suspended, and once it is lifted the user logs in again.
 * @module
 */
import { api } from "../_helpers/client.ts";
import { ADMIN_TOKEN } from "../_helpers/server.ts";
import { browserTest, logIn, register } from "./_browser.ts";

browserTest(
  "web page: a suspended user is logged out and told why",
  async ({ browser, server }) => {
    const name = `mod_${crypto.randomUUID().slice(0, 6)}`;
    const page = await (await browser.newContext()).newPage();
    await register(page, server.url, name);
    await page.locator("#connection").getByText("online").waitFor();
    const { user } = (await api(server.url, "POST", "/api/auth/login", {
      body: { username: name, password: "correct horse battery" },
    })).body;
    const suspension = (method: string, body?: unknown) =>
      api(server.url, method, `/api/admin/users/${user.id}/suspension`, {
        token: ADMIN_TOKEN,
        body,
      });

    await suspension("PUT", { reason: "spam" });
    await page.locator("#login").waitFor({ state: "visible" });
    await logIn(page, name, { password: "correct horse battery", refused: true });
    await page.locator("#login-error").getByText("Account is suspended").waitFor();

    await suspension("DELETE");
    await logIn(page, name, { password: "correct horse battery" });
    await page.locator("#connection").getByText("online").waitFor();
  },
  { env: { ADMIN_TOKEN } },
);
