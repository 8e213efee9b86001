/**
 * Reading further back on the web page, in headless Chromium: a chat opens on its
 * latest 100 messages, "Load earlier messages" adds the older ones until the
 * first, and then goes away. The messages are sent over REST beforehand.
 * @module
 */
import assert from "node:assert/strict";
import { api, directChat, PASSWORD, registerAll } from "../_helpers/client.ts";
import { browserTest, logIn } from "./_browser.ts";

browserTest(
  "web page: a chat opens on its latest messages; earlier ones load on request",
  async ({ browser, server }) => {
    const [alice, bob] = await registerAll(server.url, "alice", "bob");
    const chatId = await directChat(server.url, alice, bob);
    // Alice's own, sent from elsewhere: not a backlog her page would be handed on connect.
    for (let i = 1; i <= 130; i++) {
      const sent = await api(server.url, "POST", `/api/chats/${chatId}/messages`, {
        token: alice.token,
        body: { content: `m${i}` },
      });
      assert.equal(sent.status, 201);
    }
    const page = await (await browser.newContext()).newPage();
    await page.goto(server.url);
    await logIn(page, alice.user.username, { password: PASSWORD });
    await page.locator(`#friends li[data-user="${bob.user.username}"]`).click();
    const shown = page.locator("#messages li");
    const older = page.getByRole("button", { name: "Load earlier messages" });

    await page.locator("#messages li .content").getByText("m130", { exact: true }).waitFor();
    assert.equal(await shown.count(), 100);
    assert.equal(await shown.first().locator(".content").textContent(), "m31");
    await page.locator("#messages").evaluate((list) => list.scrollTop = 0); // read up to the top
    await older.click();
    await page.locator("#messages li .content").getByText("m1", { exact: true }).waitFor();
    assert.equal(await shown.count(), 130);
    // The list keeps its place: what was at the top is still in view, not pushed down.
    const inView = await shown.nth(30).evaluate((li) => {
      const list = li.parentElement!.getBoundingClientRect();
      const item = li.getBoundingClientRect();
      return item.top >= list.top && item.bottom <= list.bottom;
    });
    assert.equal(inView, true, "m31 stays in view");
    await older.waitFor({ state: "hidden" });
    const seqs = await shown.evaluateAll((items) => items.map((li) => Number(li.dataset.seq)));
    assert.deepEqual(seqs, Array.from({ length: 130 }, (_, i) => i + 1), "in order, once each");
  },
  { env: { RATE_LIMIT_MESSAGES: "1000" } },
);
