/**
 * The web page says why it is not connected, in headless Chromium: with
 * `MAX_SOCKETS_PER_USER=1` and Alice's one socket held by another client, her
 * page shows that she is open in too many tabs, and comes online by itself
 * once that socket is gone.
 * @module
 */
import { connect, PASSWORD, registerAll } from "../_helpers/client.ts";
import { browserTest, logIn } from "./_browser.ts";

browserTest("web page: refused for too many sockets, then online", async ({ browser, server }) => {
  const [alice] = await registerAll(server.url, "alice");
  const other = await connect(server.url, alice.token);
  const page = await (await browser.newContext()).newPage();
  try {
    await page.goto(server.url);
    await logIn(page, alice.user.username, { password: PASSWORD });
    await page.locator("#connection").getByText("open in too many tabs: waiting…").waitFor();
    other.close();
    await page.locator("#connection").getByText("online").waitFor({ timeout: 15_000 });
  } finally {
    other.close();
  }
}, { env: { MAX_SOCKETS_PER_USER: "1" } });
