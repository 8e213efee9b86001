/**
 * Thumbnails on the web page, in headless Chromium: Alice picks a large
 * picture, her page draws a thumbnail of it within 640 × 480 and sends it with
 * the picture; Bob's page shows the thumbnail in the message, fetching none of
 * the picture's bytes until he opens it, and then the whole picture; a message
 * typed while the thumbnail is drawn goes after the picture. A video
 * goes with its first frame, which Bob's page shows as the play button. A
 * thumbnail the server refuses for good leaves the picture to go without.
 * @module
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { MAX_THUMBNAIL_BYTES } from "../../src/protocol/mod.ts";
import { browserTest, chattingPair, send, waitForEqual } from "./_browser.ts";

browserTest("web page: a large picture goes with a thumbnail", async ({ browser, server }) => {
  const { pages: [a, b] } = await chattingPair(browser, server.url);
  // A 1600 × 1200 picture with a noisy corner, so that its PNG is well past a thumbnail's size.
  const dataUrl = await a.evaluate<string>(`(() => {
    const canvas = document.createElement("canvas");
    [canvas.width, canvas.height] = [1600, 1200];
    const context = canvas.getContext("2d");
    const gradient = context.createLinearGradient(0, 0, 1600, 1200);
    gradient.addColorStop(0, "navy");
    gradient.addColorStop(1, "orange");
    context.fillStyle = gradient;
    context.fillRect(0, 0, 1600, 1200);
    const noise = context.createImageData(300, 300);
    for (let i = 0; i < noise.data.length; i++) noise.data[i] = Math.random() * 256;
    context.putImageData(noise, 0, 0);
    return canvas.toDataURL("image/png");
  })()`);
  const png = Buffer.from(dataUrl.split(",")[1], "base64");
  assert.ok(png.length > 4 * MAX_THUMBNAIL_BYTES, `${png.length} bytes`);
  // What Bob's page fetches of files: each answer's type and size.
  const fetched: string[] = [];
  b.on("response", (response) => {
    if (!new URL(response.url()).pathname.startsWith("/api/files/")) return;
    const headers = response.headers();
    fetched.push(`${headers["content-type"]} ${headers["content-length"]}`);
  });
  // Alice picks a file with the paperclip; what Bob's page fetches is counted from then.
  const pick = async (name: string, mimeType: string, buffer: Buffer) => {
    fetched.length = 0;
    await a.bringToFront();
    await a.getByLabel("Attach a file").setInputFiles({ name, mimeType, buffer });
  };

  await pick("big.png", "image/png", png);
  // Typed and sent while the page still draws the thumbnail: it goes after the picture.
  await send(a, "typed at once");
  await b.bringToFront();
  const picture = b.locator('#messages li img.picture[alt="big.png"]');
  await picture.waitFor();
  const natural = (locator: typeof picture) =>
    locator.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
  await waitForEqual(() => natural(picture), 640, "bob's page draws the thumbnail");
  assert.equal(fetched.length, 1, fetched.join(", "));
  const [type, size] = fetched[0].split(" ");
  assert.equal(type, "image/webp");
  assert.ok(Number(size) <= MAX_THUMBNAIL_BYTES, `${size} bytes`);
  const shown = await picture.evaluate((img) => {
    const { width, height } = img.getBoundingClientRect();
    return [Math.round(width), Math.round(height)];
  });
  assert.deepEqual(shown, [320, 240], "in the bubble's box");
  const texts = await b.locator("#messages li .content").allTextContents();
  assert.deepEqual(texts.slice(-2), ["big.png", "typed at once"], "in the order written");

  // Opened, the whole picture.
  await b.getByRole("button", { name: "View big.png" }).click();
  const large = b.locator("#viewer img");
  await waitForEqual(() => natural(large), 1600, "the viewer draws the picture itself");
  assert.deepEqual(fetched.slice(1), [`image/png ${png.length}`]);
  await b.keyboard.press("Escape");

  // Half a second of an orange canvas, recorded by Alice's browser as a WebM video.
  const webm = Buffer.from(
    await a.evaluate<string>(`(async () => {
      const canvas = document.createElement("canvas");
      [canvas.width, canvas.height] = [320, 240];
      const context = canvas.getContext("2d");
      const recorder = new MediaRecorder(canvas.captureStream(30), { mimeType: "video/webm" });
      const chunks = [];
      recorder.ondataavailable = (event) => chunks.push(event.data);
      const stopped = new Promise((resolve) => recorder.onstop = resolve);
      recorder.start();
      for (let i = 0; i < 15; i++) {
        context.fillStyle = i % 2 ? "orange" : "darkorange";
        context.fillRect(0, 0, 320, 240);
        await new Promise((resolve) => setTimeout(resolve, 33));
      }
      recorder.stop();
      await stopped;
      const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
      return btoa(String.fromCharCode(...bytes));
    })()`),
    "base64",
  );
  await pick("clip.webm", "video/webm", webm);
  // Alice's tab stays in front until her page has drawn the frame and sent it: Chromium defers
  // loading media in a background tab, past the page's 3 s wait for the first frame.
  await a.getByRole("button", { name: "Play clip.webm" }).locator("img").waitFor();
  await b.bringToFront();
  const poster = b.getByRole("button", { name: "Play clip.webm" }).locator("img");
  await poster.waitFor();
  await waitForEqual(() => natural(poster), 320, "bob's page draws the first frame");
  assert.deepEqual(fetched.map((f) => f.split(" ")[0]), ["image/webp"], "not the video");
  await b.getByRole("button", { name: "Play clip.webm" }).click();
  await b.locator("#messages video").waitFor();
  await waitForEqual(
    () => Promise.resolve(fetched.at(-1)),
    `video/webm ${webm.length}`,
    "the video on ▶",
  );

  await a.route(/\/files\?name=thumbnail&/, (route) =>
    route.fulfill({
      status: 400,
      contentType: "application/json",
      body: JSON.stringify({ error: { code: "invalid_payload", message: "No thumbnail" } }),
    }));
  await pick("again.png", "image/png", png);
  await b.bringToFront();
  const whole = b.locator('#messages li img.picture[alt="again.png"]');
  await waitForEqual(() => natural(whole), 1600, "sent without a thumbnail, shown whole");
  assert.deepEqual(fetched, [`image/png ${png.length}`]);
});
