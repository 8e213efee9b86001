/**
 * A photo picked offline on the web page, in headless Chromium: Alice's page
 * loses the network, she picks a picture and types a message after it; both
 * wait with a clock, the picture by name. She closes the tab while still offline; the message and
 * the picture's bytes are kept (localStorage, IndexedDB). Back online, a new
 * tab sends both, in the order written: Bob's page shows the picture, then the
 * text, and the bytes leave IndexedDB.
 * @module
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { browserTest, chattingPair, send, waitForEqual } from "./_browser.ts";

browserTest("web page: a photo picked offline goes when back", async ({ browser, server }) => {
  const { pages: [a, b] } = await chattingPair(browser, server.url);
  const dataUrl = await a.evaluate<string>(`(() => {
    const canvas = document.createElement("canvas");
    [canvas.width, canvas.height] = [64, 48];
    canvas.getContext("2d").fillRect(0, 0, 64, 48);
    return canvas.toDataURL("image/png");
  })()`);
  const png = Buffer.from(dataUrl.split(",")[1], "base64");
  const context = a.context();

  await a.bringToFront();
  await context.setOffline(true);
  await waitForEqual(() => a.locator("#connection").textContent(), "reconnecting…", "offline");
  await a.getByLabel("Attach a file").setInputFiles({
    name: "offline.png",
    mimeType: "image/png",
    buffer: png,
  });
  await send(a, "after the photo");
  const pending = a.locator('#messages li [data-status="sending"]');
  await waitForEqual(() => pending.count(), 2, "both wait with a clock");
  const waiting = await a.locator("#messages li .file.waiting").allTextContents();
  assert.deepEqual(waiting, ["📎 offline.png waiting"], "the picture shows by name, waiting");
  const kept = `new Promise((resolve) => {
    const open = indexedDB.open("chat.files", 1);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains("files")) return (resolve(0), db.close());
      const count = db.transaction("files").objectStore("files").count();
      count.onsuccess = () => (resolve(count.result), db.close());
    };
  })`;
  assert.equal(await a.evaluate<number>(kept), 1, "the picture's bytes are in IndexedDB");
  await a.close();

  await context.setOffline(false);
  const again = await context.newPage();
  await again.goto(server.url); // logged in from localStorage; the outbox goes
  await b.bringToFront();
  const picture = b.locator('#messages li img.picture[alt="offline.png"]');
  await waitForEqual(
    () => picture.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    64,
    "bob's page draws the picture",
  );
  const texts = await b.locator("#messages li .content").allTextContents();
  assert.deepEqual(texts.slice(-2), ["offline.png", "after the photo"], "in the order written");
  await waitForEqual(() => again.evaluate<number>(kept), 0, "its bytes leave IndexedDB");
});
