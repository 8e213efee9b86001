/**
 * Extension: files sent with messages (core/files.ts says who may read what).
 * An upload is the file's bytes as the body, its type as `Content-Type` and its
 * name in the query, so `curl --data-binary @photo.jpg` is a client; JSON and
 * multipart would each cost a copy or a parser for nothing here. Uploads and
 * downloads stream: neither holds a whole file in the server's memory.
 * @module
 */
import { type Context, Hono } from "hono";
import type { Core } from "../core/mod.ts";
import { uploadQuery } from "../protocol/mod.ts";
import { type AuthEnv, callerId, requireAuth } from "./_auth.ts";
import { query } from "./_validate.ts";
import { byteRange, rangeStillValid } from "./_range.ts";
import { requestBody, streamBody, type StreamBodyOptions } from "./_stream_body.ts";

/**
 * The upload's path, a user's own or the app's backend acting as one, which
 * the API's body limit leaves to the core's file limit.
 */
export const UPLOAD_PATH = /^\/api\/(app\/users\/[^/]+\/)?chats\/[^/]+\/files$/;
// Shown inline: pictures, sound and video a browser plays without running anything.
// SVG is not among them (it can carry script), nor anything that renders as a page.
const INLINE = /^(image\/(png|jpeg|gif|webp|avif)|audio\/[\w.+-]+|video\/[\w.+-]+)$/;

/** Options of the upload route: a stalled body's (see `_stream_body.ts`); the core has the limit. */
export type UploadOptions = Omit<StreamBodyOptions, "draining">;

/** Uploading to a chat, mounted with the chat routes (whose middleware authenticates). */
export function chatFileRoutes(core: Core, options: UploadOptions): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.post("/:chatId/files", async (c) => {
    const { name, thumbnail, ...media } = query(c, uploadQuery);
    const file = await core.files.upload(callerId(c), c.req.param("chatId"), {
      name,
      media,
      thumbnail,
      type: c.req.header("Content-Type") ?? "",
      ...uploadBody(c, options),
    });
    return c.json({ file }, 201);
  });
  return app;
}

/** Reading a file, mounted at `/api/files`. */
export function fileRoutes(core: Core, options: StreamBodyOptions): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use("*", requireAuth(core));

  app.get("/:fileId", async (c) => {
    const { file, stream } = await core.files.open(callerId(c), c.req.param("fileId"));
    const { id, name, type, size } = file;
    // A file never changes under its id: the id is its entity tag.
    const etag = `"${id}"`;
    const headers: Record<string, string> = {
      "Content-Type": type,
      "Content-Disposition": disposition(INLINE.test(type) ? "inline" : "attachment", name),
      // The browser must not guess a type, and nothing in the file may run as a page.
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      // Cached for good, but private: it is the chat members' alone.
      "Cache-Control": "private, max-age=31536000, immutable",
      "ETag": etag,
      "Accept-Ranges": "bytes",
    };
    // Neither a 304 nor a HEAD reads the bytes (a HEAD takes no range, as RFC 9110 says).
    if (matches(c.req.header("If-None-Match"), etag)) return c.body(null, 304, headers);
    if (c.req.method === "HEAD") {
      return c.body(null, 200, { ...headers, "Content-Length": `${size}` });
    }
    const range = rangeStillValid(c.req.header("If-Range"), etag)
      ? byteRange(c.req.header("Range"), size)
      : null;
    if (range === "unsatisfiable") {
      return c.body(null, 416, { ...headers, "Content-Range": `bytes */${size}` });
    }
    // Streamed as the client takes it: a slow phone holds a piece of the file in the
    // server's memory, not all of it. Removed meanwhile, the download is cut off.
    if (range) {
      // Only the range is read (and decrypted): a player seeking in a video reads what it shows.
      return c.body(streamBody(c, await stream(range), options), 206, {
        ...headers,
        "Content-Length": String(range.end - range.start),
        "Content-Range": `bytes ${range.start}-${range.end - 1}/${size}`,
      });
    }
    const body = streamBody(c, await stream(), options);
    return c.body(body, 200, { ...headers, "Content-Length": String(size) });
  });

  return app;
}

// With a Content-Length, the body goes to the store as it arrives, a piece at a time.
// Without one (chunked), the core reads it whole first, within the limit. Either way a
// client that stops sending is cut off.
function uploadBody(
  c: Context,
  options: UploadOptions,
): { size?: number; body: Uint8Array | ReadableStream<Uint8Array> } {
  const { body, headers } = c.req.raw;
  const length = headers.get("Content-Length");
  return {
    size: length === null ? undefined : Number(length),
    body: body ? requestBody(c, body, options) : new Uint8Array(),
  };
}

// If-None-Match: a list of tags, or "*"; weak tags compare as strong ones here.
function matches(header: string | undefined, etag: string): boolean {
  return !!header &&
    header.split(",").some((t) => ["*", etag].includes(t.trim().replace(/^W\//, "")));
}

// The name twice: as UTF-8 (RFC 6266's filename*), and plain ASCII for clients that
// read only filename (quotes, backslashes and anything beyond ASCII as "_").
function disposition(kind: string, name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
