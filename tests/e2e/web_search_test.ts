/**
 * Searching a chat on the web page, in headless Chromium: Bob finds Alice's
 * message by a word of it, with case and accents aside, is told when nothing
 * matches, and the panel empties when he opens another chat.
 * @module
 */
import assert from "node:assert/strict";
import { browserTest, chattingPair, send } from "./_browser.ts";

browserTest("web page: a user searches a chat", async ({ browser, server }) => {
  const { names: [alice], pages: [a, b] } = await chattingPair(browser, server.url);
  await send(a, "Meet at the Café tomorrow?");
  await send(a, "or the park");
  await b.locator("#messages li .content").getByText("or the park").waitFor();

  const find = async (text: string) => {
    await b.getByLabel("Find in chat").fill(text);
    await b.getByRole("button", { name: "Find", exact: true }).click();
  };
  await b.locator("#search-panel summary").click();
  await find("cafe");
  await b.locator("#search-results li").first().waitFor();
  assert.deepEqual(await b.locator("#search-results li .content").allTextContents(), [
    "Meet at the Café tomorrow?",
  ]);
  assert.equal(await b.locator("#search-results li .sender").textContent(), alice);
  assert.ok(await b.locator("#search-older").isHidden(), "the whole chat was read");

  await find("picnic");
  await b.locator("#search-status").getByText("No messages found").waitFor();
  assert.equal(await b.locator("#search-results li").count(), 0);

  await find("park");
  await b.locator("#search-results li").first().waitFor();
  await b.getByLabel("New group").fill("walkers");
  await b.getByLabel("Members (usernames, comma separated)").fill(alice);
  await b.getByRole("button", { name: "Create group" }).click();
  await b.locator("#chat-title").getByText("# walkers").waitFor();
  assert.equal(await b.locator("#search-results li").count(), 0, "another chat's panel");
});
