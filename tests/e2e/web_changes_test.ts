/**
 * Edits, deletes and reactions on the web page, in headless Chromium: Alice and
 * Bob see each other's changes live, and a page whose connection dropped
 * (Bob's, through a proxy the test cuts) shows the changes made meanwhile once
 * it is back, without a reload. A screenshot is saved as an artifact.
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { sleep } from "../_helpers/client.ts";
import { startTcpProxy } from "../_helpers/tcp_proxy.ts";
import { ARTIFACTS, browserTest, register, send, waitForEqual } from "./_browser.ts";

const contents = (page: Page) => page.locator("#messages li .content").allTextContents();
const reactions = (page: Page) =>
  page.locator("#messages li").evaluateAll((items) =>
    items.map((li) => [...li.querySelectorAll(".reactions button")].map((b) => b.textContent))
  );
const message = (page: Page, text: string) =>
  page.locator("#messages li").filter({ has: page.getByText(text, { exact: true }) });

/** Clicks a message's button, answering the dialog it opens with `answer`. */
async function clickWithDialog(page: Page, text: string, button: string, answer?: string) {
  page.once("dialog", (dialog) => dialog.accept(answer));
  await message(page, text).getByRole("button", { name: button }).click();
}

browserTest(
  "web page: edits, deletes and reactions live, and those made while offline on return",
  async ({ browser, server }) => {
    const proxy = startTcpProxy(server.port);
    try {
      const tag = crypto.randomUUID().slice(0, 6);
      const [alice, bob] = [`alice_${tag}`, `bob_${tag}`];
      const a = await (await browser.newContext()).newPage();
      const b = await (await browser.newContext()).newPage();
      await register(a, server.url, alice);
      await register(b, proxy.url, bob); // Bob's page reaches the server through the proxy

      await a.getByLabel("Add a friend by username").fill(bob);
      await a.getByRole("button", { name: "Add", exact: true }).click();
      await a.locator("#chat-title").getByText(bob).waitFor();
      for (const text of ["hello", "typo", "doomed"]) await send(a, text);
      await b.locator(`#friends li[data-user="${alice}"]`).click();
      await waitForEqual(() => contents(b), ["hello", "typo", "doomed"], "Bob's messages");

      // Live: Alice edits, Bob reacts; each sees the other's change.
      await clickWithDialog(a, "typo", "Edit", "fixed");
      await waitForEqual(() => contents(b), ["hello", "fixed", "doomed"], "edit, live");
      await message(b, "fixed").locator(".meta").getByText("edited").waitFor();
      await message(b, "hello").getByRole("button", { name: "React 👍" }).click();
      await waitForEqual(() => reactions(a), [["👍 1"], [], []], "Bob's reaction at Alice's");
      const chip = message(b, "hello").getByRole("button", { name: "👍 1" });
      assert.equal(await chip.getAttribute("aria-pressed"), "true", "Bob's own reaction");

      // Bob's connection drops; Alice edits again, deletes, and reacts too.
      proxy.cut();
      await b.locator("#connection").getByText("reconnecting").waitFor();
      await clickWithDialog(a, "fixed", "Edit", "fixed twice");
      await clickWithDialog(a, "doomed", "Delete");
      await message(a, "hello").getByRole("button", { name: "👍 1" }).click();
      await waitForEqual(() => contents(a), ["hello", "fixed twice", "(deleted)"], "Alice's");
      await waitForEqual(() => reactions(a), [["👍 2"], [], []], "Alice's reactions");
      await sleep(300);
      assert.deepEqual(await contents(b), ["hello", "fixed", "doomed"], "Bob is cut off");

      // Back online: the page asks for what changed and shows it.
      proxy.restore();
      await b.locator("#connection").getByText("online").waitFor({ timeout: 15_000 });
      await waitForEqual(() => contents(b), ["hello", "fixed twice", "(deleted)"], "caught up");
      await waitForEqual(() => reactions(b), [["👍 2"], [], []], "reactions caught up");
      await message(b, "hello").hover();
      await Deno.mkdir(ARTIFACTS, { recursive: true });
      await b.screenshot({ path: new URL("changes.png", ARTIFACTS).pathname });
    } finally {
      proxy.close();
    }
  },
);
