/**
 * The web chat page at `/`: the files of web/, with the SDK bundle that
 * `deno task build:web` writes to web/dist/app.js. Read once at start (they are
 * small); the page is served with a strict Content-Security-Policy.
 * @module
 */
import { Hono } from "hono";

const WEB = new URL("../../web/", import.meta.url);

const FILES = {
  "/": ["index.html", "text/html; charset=utf-8"],
  "/style.css": ["style.css", "text/css; charset=utf-8"],
  "/app.js": ["dist/app.js", "text/javascript; charset=utf-8"],
} as const;

// Scripts and styles from this origin only; sockets to this origin.
// blob: pictures are files the page fetched with its token (web/attachments.ts); blob: media
// are recordings the user picked, whose length the page reads before the upload (web/media.ts).
const CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; " +
  "media-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const MISSING_BUNDLE = `console.error("The page's script is not built: run deno task build:web");
document.body.textContent = "The page's script is not built: run deno task build:web, then reload.";`;

/** Routes for the page's files; a missing bundle is explained rather than a 404. */
export async function webRoutes(): Promise<Hono> {
  const app = new Hono();
  for (const [path, [file, type]] of Object.entries(FILES)) {
    let body: Uint8Array | string;
    try {
      body = await Deno.readFile(new URL(file, WEB));
    } catch {
      if (file !== "dist/app.js") continue;
      body = MISSING_BUNDLE;
    }
    app.get(path, (c) => {
      c.header("Content-Type", type);
      c.header("Content-Security-Policy", CSP);
      c.header("X-Content-Type-Options", "nosniff");
      c.header("Cache-Control", "no-cache");
      return c.body(body as string);
    });
  }
  return app;
}
