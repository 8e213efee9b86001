/**
 * What an upload is made of, made safe: its name without folders or control
 * characters, its type as `type/subtype` or plain bytes, and its body held to
 * the size the client declared (the record says that size, and the cipher
 * authenticates it). A body that cannot be read (the client went away
 * mid-upload) is the client's failure, answered `invalid_payload` and not
 * logged as the server's error.
 * @module
 */
import type { MediaInfo } from "../protocol/mod.ts";
import { ValidationError } from "./errors.ts";

// A type the upload names, as `type/subtype` (parameters dropped); anything else is bytes.
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/**
 * Refuses a size no upload may have: none, or more than `maxBytes`. A size not
 * declared (`undefined`) passes, to be read within the limit.
 */
export function uploadSize<T extends number | undefined>(size: T, maxBytes: number): T {
  if (size === 0) throw new ValidationError("File is empty");
  if (size !== undefined && size > maxBytes) {
    throw new ValidationError(`File exceeds ${maxBytes} bytes`, { tooLarge: true });
  }
  return size;
}

/**
 * Reads a body whose size was not declared (a chunked upload) whole: the record
 * and the cipher need the size before the first byte is stored. Refused with a
 * `ValidationError` once it runs past `maxBytes`, or when it cannot be read.
 */
export async function undeclaredBody(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array> {
  const reader = body.getReader();
  const pieces: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = await reader.read().catch((cause) => {
      throw cutShort(cause);
    });
    if (next.done) break;
    size += next.value.length;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      uploadSize(size, maxBytes); // throws: past the limit
    }
    pieces.push(next.value);
  }
  const bytes = new Uint8Array(size);
  pieces.reduce((at, piece) => (bytes.set(piece, at), at + piece.length), 0);
  return bytes;
}

/**
 * Passes `body` on; errors with a `ValidationError` when it ends before `size`
 * bytes or runs past them, and with `unreadable(cause)` when it cannot be read
 * (by default a `ValidationError`: the client went away). The store's put then
 * fails, and keeps nothing.
 */
export function declaredBody(
  body: Uint8Array | ReadableStream<Uint8Array>,
  size: number,
  unreadable = cutShort,
): ReadableStream<Uint8Array> {
  const reader = (body instanceof Uint8Array ? ReadableStream.from([body]) : body).getReader();
  let seen = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (cause) {
        throw unreadable(cause);
      }
      if (next.done) {
        if (seen < size) throw new ValidationError(`File is ${seen} bytes, not ${size}`);
        return controller.close();
      }
      seen += next.value.length;
      if (seen > size) throw new ValidationError(`File is longer than ${size} bytes`);
      controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
}

// The client went away mid-upload, or stopped sending: its failure, not the server's.
function cutShort(cause: unknown): Error {
  return new ValidationError("File upload was cut short", { cause });
}

/**
 * The name a file is stored under: without any folder a browser or a tool put
 * in front of it, and no control characters (a header or a terminal would take
 * them as commands). Throws `ValidationError` when none is left.
 */
export function fileName(raw: string): string {
  // deno-lint-ignore no-control-regex
  const name = raw.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  if (name.length === 0 || name.length > 255) {
    throw new ValidationError("File name must be 1 to 255 characters", {
      details: [{ path: "name", message: "must be 1 to 255 characters, without folders" }],
    });
  }
  return name;
}

/** The media type a file is stored under. */
export function mediaType(raw: string): string {
  const type = raw.split(";")[0].trim().toLowerCase();
  return MEDIA_TYPE.test(type) ? type : "application/octet-stream";
}

/**
 * The media fields of `info` that a file keeps: width and height only as a
 * pair, and none set to `undefined` (a store would keep the key).
 */
export function mediaOf(info: MediaInfo): MediaInfo {
  const media: MediaInfo = {};
  if (info.width !== undefined && info.height !== undefined) {
    media.width = info.width;
    media.height = info.height;
  }
  if (info.durationMs !== undefined) media.durationMs = info.durationMs;
  return media;
}
