/**
 * Reads request bodies and queries through zod schemas, so every handler gets
 * typed input or the client gets `invalid_payload` with the fields at fault.
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { z } from "zod";
import { AccessError, ValidationError } from "../core/errors.ts";
import { parseWith } from "../core/validate.ts";

/** Reads a JSON body; malformed JSON is `invalid_payload`. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch (cause) {
    throw new ValidationError("Body is not valid JSON", { cause });
  }
  return parseWith(schema, body);
}

/** Reads the query string. */
export function query<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return parseWith(schema, c.req.query());
}

/** Refuses a body over `maxBytes` with `payload_too_large`, naming it (`Body`, `File`). */
export function limitBody(maxBytes: number, what: string): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ValidationError(`${what} exceeds ${maxBytes} bytes`, { tooLarge: true });
    },
  });
}

/**
 * Answers `not_found` for a path with a part longer than `maxChars`: ids are at
 * most 64 characters and usernames 32, so such a part names nothing. It never
 * reaches a store, whose keys have a size limit (Deno KV's 2 KiB, an error there).
 */
export function boundPathParts(maxChars: number): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.path.split("/").some((part) => part.length > maxChars)) {
      throw new AccessError("not_found", "Not found");
    }
    await next();
  };
}
