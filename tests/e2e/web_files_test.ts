/**
 * Files on the web page, in headless Chromium: Alice picks a picture with the
 * paperclip and it shows in the message on Bob's page (fetched with the token,
 * drawn from a blob), in a box of its shape before its bytes arrive (Alice's
 * page declared its size), and larger in a dialog on a click; then she types a caption and picks a text file,
 * which Bob's page shows as a link that saves the file with its bytes, and a
 * voice note, shown with its length and played in place. Files dropped on the
 * conversation or pasted into the box go as if picked.
 * @module
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Page } from "playwright-core";
import { browserTest, chattingPair, send, waitForEqual } from "./_browser.ts";

// Two seconds of silence as a WAV: 8 kHz, 8 bits, mono.
function wav(seconds: number): Buffer {
  const samples = 8000 * seconds;
  const out = Buffer.alloc(44 + samples, 128);
  out.write("RIFF", 0);
  out.writeUInt32LE(36 + samples, 4);
  out.write("WAVEfmt ", 8);
  out.writeUInt32LE(16, 16); // the format chunk's size
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // one channel
  out.writeUInt32LE(8000, 24); // samples per second
  out.writeUInt32LE(8000, 28); // bytes per second
  out.writeUInt16LE(1, 32); // bytes per sample
  out.writeUInt16LE(8, 34); // bits per sample
  out.write("data", 36);
  out.writeUInt32LE(samples, 40);
  return out;
}

/**
 * Dispatches a real `drop` or `paste` event carrying text files named `names`
 * (each holding its name) on the page's element of id `to`.
 */
function handOver(
  page: Page,
  files: { event: "drop" | "paste"; to: string; names: string[] },
): Promise<void> {
  return page.evaluate(`(({ event, to, names }) => {
    const data = new DataTransfer();
    for (const name of names) data.items.add(new File([name], name, { type: "text/plain" }));
    const init = { bubbles: true, cancelable: true };
    const dispatched = event === "drop"
      ? new DragEvent("drop", { ...init, dataTransfer: data })
      : new ClipboardEvent("paste", { ...init, clipboardData: data });
    document.getElementById(to).dispatchEvent(dispatched);
  })(${JSON.stringify(files)})`);
}

browserTest(
  "web page: files sent with the paperclip, dropped and pasted",
  async ({ browser, server }) => {
    const { pages: [a, b] } = await chattingPair(browser, server.url);
    // A 640 × 480 picture, drawn by the browser.
    const dataUrl = await a.evaluate<string>(`(() => {
      const canvas = document.createElement("canvas");
      [canvas.width, canvas.height] = [640, 480];
      canvas.getContext("2d").fillRect(0, 0, 640, 480);
      return canvas.toDataURL("image/png");
    })()`);
    const png = Buffer.from(dataUrl.split(",")[1], "base64");
    // Bob's page gets no file bytes until released: what it lays out meanwhile is the box.
    let release = () => {};
    const held = new Promise<void>((resolve) => release = resolve);
    await b.route("**/api/files/**", async (route) => (await held, await route.continue()));

    await a.bringToFront();
    await a.getByLabel("Attach a file").setInputFiles({
      name: "dot.png",
      mimeType: "image/png",
      buffer: png,
    });
    await b.bringToFront();
    const picture = b.locator('#messages li img.picture[alt="dot.png"]');
    await picture.waitFor();
    const size = () =>
      picture.evaluate((img) => {
        const { width, height } = img.getBoundingClientRect();
        return [Math.round(width), Math.round(height)];
      });
    // 640 × 480 in a bubble of at most 320 × 240.
    assert.deepEqual(await size(), [320, 240], "its box before any byte arrived");
    release();
    await waitForEqual(
      () => picture.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      640,
      "bob's page draws the picture",
    );
    assert.deepEqual(await size(), [320, 240], "the same box once drawn");
    // A click shows it larger, in a dialog that Escape closes.
    await b.getByRole("button", { name: "View dot.png" }).click();
    const large = b.locator("#viewer img");
    await large.waitFor();
    const shownWidth = await large.evaluate((img) => Math.round(img.getBoundingClientRect().width));
    assert.ok(shownWidth > 320, `shown ${shownWidth} px wide`);
    await b.keyboard.press("Escape");
    await waitForEqual(() => b.locator("#viewer").isVisible(), false, "closed");
    // On a phone's screen the bubble is narrower than the box: the picture keeps its shape.
    await b.setViewportSize({ width: 360, height: 640 });
    const [width, height] = await size();
    assert.ok(width < 320 && Math.abs(width / height - 4 / 3) < 0.02, `${width} × ${height}`);
    await b.setViewportSize({ width: 1280, height: 720 });
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

    await a.bringToFront();
    await a.getByLabel("Attach a file").setInputFiles({
      name: "voice.wav",
      mimeType: "audio/wav",
      buffer: wav(2),
    });
    await b.bringToFront();
    const voice = b.locator("#messages li a.file", { hasText: "voice.wav" });
    await voice.waitFor();
    assert.equal(await voice.locator(".size").textContent(), " 0:02 · 16 KB");

    // Played in place, its bytes fetched then; the player stays through a redraw.
    await b.getByRole("button", { name: "Play voice.wav" }).click();
    const player = b.locator("#messages li .recording audio");
    await waitForEqual(
      () => player.evaluate((m) => Math.round((m as unknown as { duration: number }).duration)),
      2,
      "bob's page plays the voice note",
    );
    await player.evaluate((m) => (m as unknown as { id: string }).id = "the-player");
    await send(a, "after the voice note"); // Bob's page redraws the conversation
    await b.locator("#messages li .content").getByText("after the voice note").waitFor();
    assert.equal(await player.getAttribute("id"), "the-player", "the same player, not a new one");

    // Dropped on the conversation: both files in one message, named as its text.
    await a.bringToFront();
    await handOver(a, { event: "drop", to: "conversation", names: ["one.txt", "two.txt"] });
    await b.bringToFront();
    const dropped = b.locator("#messages li").filter({ hasText: "one.txt, two.txt" });
    await dropped.waitFor();
    assert.equal(await dropped.locator("a.file").count(), 2, "one message, two files");
    // Pasted into the box (a screenshot, say): sent as if picked, with the typed caption.
    await a.bringToFront();
    await a.getByRole("textbox", { name: "Message" }).fill("pasted");
    await handOver(a, { event: "paste", to: "text", names: ["clip.txt"] });
    await b.bringToFront();
    const pasted = b.locator("#messages li").filter({ hasText: "pasted" });
    await pasted.locator("a.file", { hasText: "clip.txt" }).waitFor();
  },
);
