/**
 * Muting a chat on the web page, in headless Chromium: Bob mutes his chat with
 * Alice, the title and the sidebar show it, his other tab shows it at once (`chat:preferences`), it
 * is still muted after a reload (the server keeps it), messages still arrive, and he unmutes it.
 * @module
 */
import { browserTest, chattingPair, send } from "./_browser.ts";

browserTest("web page: a user mutes a chat and unmutes it", async ({ browser, server }) => {
  const { names: [alice], pages: [a, b] } = await chattingPair(browser, server.url);
  const toggle = b.locator("#mute-chat");
  const other = await b.context().newPage(); // the same login, in a second tab
  await other.goto(server.url);
  const elsewhere = other.locator(`#friends li[data-user="${alice}"] .muted`);
  await other.locator(`#friends li[data-user="${alice}"]`).waitFor();
  await toggle.getByText("Mute", { exact: true }).click();
  await toggle.getByText("Unmute", { exact: true }).waitFor();
  await b.locator("#chat-title").getByText(`${alice} 🔕`).waitFor();
  await b.locator(`#friends li[data-user="${alice}"] .muted`).waitFor(); // in the sidebar too
  await elsewhere.waitFor();

  await send(a, "still arrives");
  await b.locator("#messages li .content").getByText("still arrives").waitFor();

  await b.reload();
  await b.locator(`#friends li[data-user="${alice}"]`).click();
  await toggle.getByText("Unmute", { exact: true }).waitFor();
  await toggle.click();
  await toggle.getByText("Mute", { exact: true }).waitFor();
  await b.locator("#chat-title").getByText(alice, { exact: true }).waitFor();
  await b.locator(`#friends li[data-user="${alice}"] .muted`).waitFor({ state: "detached" });
  await elsewhere.waitFor({ state: "detached" });
});
