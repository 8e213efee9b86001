/**
 * The one place where errors become HTTP answers: status from the protocol code,
 * body `{ error: { code, message, details? } }`, never a stack trace.
 * @module
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { ChatError, RateLimitError, toErrorBody, ValidationError } from "../core/errors.ts";
import type { Logger } from "../core/ports.ts";
import { ERROR_STATUS } from "../protocol/mod.ts";

/** Builds Hono's `onError` handler. */
export function errorHandler(logger: Logger): (error: Error, c: Context) => Response {
  return (error, c) => {
    let known: unknown = error;
    // Hono's own exceptions (such as a malformed request) are client errors.
    if (error instanceof HTTPException && error.status < 500) {
      known = new ValidationError(error.message || "Bad request", { cause: error });
    }
    // The client went away, or was cut off by the idle limit, before its request was read:
    // nobody reads the answer, and it is no fault of the server's.
    if (abortedByClient(error)) {
      logger.info("request cut short", { method: c.req.method, path: c.req.path });
      known = new ValidationError("Request was cut short", { cause: error });
    }
    if (!(known instanceof ChatError)) {
      logger.error("request failed", {
        method: c.req.method,
        path: c.req.path,
        error: String(error),
        stack: error.stack,
      });
    }
    const body = toErrorBody(known);
    if (known instanceof RateLimitError) {
      c.header("Retry-After", String(Math.ceil(known.retryAfterMs / 1000)));
    }
    return c.json({ error: body }, ERROR_STATUS[body.code]);
  };
}

// Node's IncomingMessage fails its body so ("aborted") when the connection closes early;
// a reset of a connection the server made itself reads "read ECONNRESET" or "socket hang up".
function abortedByClient(error: Error): boolean {
  return error.message === "aborted" && (error as { code?: string }).code === "ECONNRESET";
}

/** Answers unknown routes with `not_found`. */
export function notFound(c: Context): Response {
  return c.json({ error: { code: "not_found", message: "No such route" } }, 404);
}
