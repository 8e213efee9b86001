/**
 * What an upload is made of, made safe: its name without folders or control
 * characters, its type as `type/subtype` or plain bytes, and its body held to
 * the size the client declared (the record says that size, and the cipher
 * authenticates it). A body that cannot be read (the client went away
 * mid-upload) is the client's failure, answered `invalid_payload` and not
 * logged as the server's error.
 * @module
 */
import { ValidationError } from "./errors.ts";

// A type the upload names, as `type/subtype` (parameters dropped); anything else is bytes.
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/**
 * Passes `body` on; errors with a `ValidationError` when it ends before `size`
 * bytes or runs past them, and with `unreadable(cause)` when it cannot be read
 * (by default a `ValidationError`: the client went away). The store's put then
 * fails, and keeps nothing.
 */
export function declaredBody(
  body: Uint8Array | ReadableStream<Uint8Array>,
  size: number,
  unreadable = (cause: unknown): Error =>
    new ValidationError("File upload was cut short", { cause }),
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
