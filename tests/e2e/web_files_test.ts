/**
 * Files on the web page, in headless Chromium: Alice picks a picture with the
 * paperclip and it shows in the message on Bob's page (fetched with the token,
 * drawn from a blob); then she types a caption and picks a text file, which
 * Bob's page shows as a link that saves the file with its bytes.
 * @module
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { browserTest, chattingPair, waitForEqual } from "./_browser.ts";

// A 1×1 PNG: small, and a real picture the browser decodes.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

browserTest(
  "web page: a picture and a file sent with the paperclip",
  async ({ browser, server }) => {
    const { pages: [a, b] } = await chattingPair(browser, server.url);
    await a.bringToFront();
    await a.getByLabel("Attach a file").setInputFiles({
      name: "dot.png",
      mimeType: "image/png",
      buffer: PNG,
    });
    await b.bringToFront();
    const picture = b.locator('#messages li img.picture[alt="dot.png"]');
    await picture.waitFor();
    await waitForEqual(
      () => picture.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      1,
      "bob's page draws the picture",
    );
    assert.equal(
      await b.locator("#messages li").last().locator(".content").textContent(),
      "dot.png",
    );

    await a.bringToFront();
    await a.getByRole("textbox", { name: "Message" }).fill("the minutes");
    await a.getByLabel("Attach a file").setInputFiles({
      name: "minutes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("we agreed"),
    });
    await b.bringToFront();
    const link = b.locator("#messages li a.file", { hasText: "minutes.txt" });
    await link.waitFor();
    assert.equal(
      await b.locator("#messages li").last().locator(".content").textContent(),
      "the minutes",
    );
    const [download] = await Promise.all([b.waitForEvent("download"), link.click()]);
    assert.equal(download.suggestedFilename(), "minutes.txt");
    assert.equal(await Deno.readTextFile(await download.path()), "we agreed");
  },
);
