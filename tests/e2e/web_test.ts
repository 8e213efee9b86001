/**
 * The web page in headless Chromium (Debian's package, driven by playwright-core;
 * no browser download): two users in two browser contexts. Bob goes offline,
 * Alice sends three messages, Bob comes back and sees them in order, and Alice's
 * ticks go from sent to delivered to read. Then a group with Bob and Carol: the
 * tick waits for Carol, who was offline, and still completes after Alice reloads.
 * A screenshot is saved as an artifact.
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { sleep } from "../_helpers/client.ts";
import { ARTIFACTS, browserTest, register, send, waitForEqual } from "./_browser.ts";

const statuses = (page: Page) =>
  page.locator("#messages li.mine .tick").evaluateAll((ticks) =>
    ticks.map((t) => t.getAttribute("data-status"))
  );

const waitForStatuses = (page: Page, expected: string[]) =>
  waitForEqual(() => statuses(page), expected, "ticks");

browserTest(
  "web page: backlog in order on return, ticks sent → delivered → read, in a group too, tabs in step",
  async ({ browser, server }) => {
    const tag = crypto.randomUUID().slice(0, 6);
    const [alice, bob, carol] = [`alice_${tag}`, `bob_${tag}`, `carol_${tag}`];
    const aliceContext = await browser.newContext();
    const a = await aliceContext.newPage();
    const bobContext = await browser.newContext();
    let b = await bobContext.newPage();
    await register(a, server.url, alice);
    await register(b, server.url, bob);

    await a.getByLabel("Add a friend by username").fill(bob);
    await a.getByRole("button", { name: "Add", exact: true }).click();
    await a.locator("#chat-title").getByText(bob).waitFor();
    await a.locator(`#friends li[data-user="${bob}"] .dot.online`).waitFor();

    await b.close(); // Bob goes offline
    await a.locator(`#friends li[data-user="${bob}"] .dot:not(.online)`).waitFor();
    for (const text of ["first", "second", "third"]) await send(a, text);
    await waitForStatuses(a, ["sent", "sent", "sent"]);

    b = await bobContext.newPage(); // Bob is back: the session is in localStorage
    await b.goto(server.url);
    await waitForStatuses(a, ["delivered", "delivered", "delivered"]);
    await b.locator(`#friends li[data-user="${alice}"]`).click();
    await b.locator("#messages li .content").nth(2).waitFor();
    const seen = await b.locator("#messages li .content").allTextContents();
    assert.deepEqual(seen, ["first", "second", "third"]);
    await waitForStatuses(a, ["read", "read", "read"]);

    await b.getByRole("textbox", { name: "Message" }).pressSequentially("hi ali");
    await a.locator("#typing").getByText(`${bob} is typing`).waitFor();
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    await a.screenshot({ path: new URL("conversation.png", ARTIFACTS).pathname });

    // A second tab of Alice's (the same session) shows what the first one sends.
    const a2 = await aliceContext.newPage();
    await a2.goto(server.url);
    await a2.locator(`#friends li[data-user="${bob}"]`).click();
    await a2.locator("#messages li .content").nth(2).waitFor();
    await send(a, "fourth");
    await a2.locator("#messages li .content").getByText("fourth").waitFor();
    await a2.close();

    // A group of three: Carol is offline when Alice writes, so the tick waits for her.
    const carolContext = await browser.newContext();
    let c = await carolContext.newPage();
    await register(c, server.url, carol);
    await c.close();
    const group = `team ${tag}`;
    await a.getByLabel("New group").fill(group);
    await a.getByLabel("Members (usernames, comma separated)").fill(`${bob}, ${carol}`);
    await a.getByRole("button", { name: "Create group" }).click();
    await a.locator("#chat-title").getByText(`# ${group}`).waitFor();
    await send(a, "hello team");
    await b.locator(`#groups li[data-chat="${group}"] .badge`).getByText("1").waitFor();
    await b.locator(`#groups li[data-chat="${group}"]`).click();
    await b.locator("#messages li .sender").getByText(alice).waitFor();
    assert.deepEqual(await b.locator("#messages li .content").allTextContents(), ["hello team"]);
    await sleep(300);
    assert.deepEqual(await statuses(a), ["sent"], "delivered to Bob only: not yet a tick");
    // After a reload Alice's page knows only the aggregate; Carol's tick must still complete it.
    await a.reload();
    await a.locator(`#groups li[data-chat="${group}"]`).click();
    await waitForStatuses(a, ["sent"]);
    c = await carolContext.newPage();
    await c.goto(server.url);
    await waitForStatuses(a, ["delivered"]);
    await c.locator(`#groups li[data-chat="${group}"]`).click();
    await waitForStatuses(a, ["read"]);
  },
);
