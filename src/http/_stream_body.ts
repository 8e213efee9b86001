/**
 * A response body streamed from the store. Once its first bytes are sent, an
 * error (the file removed meanwhile, a store gone down) can no longer change
 * the status: it is logged here and the connection is cut, which the client
 * sees as a body shorter than its `Content-Length`, a download to resume. Left
 * to the Node server adapter, the error would be printed as a bare stack trace.
 * @module
 */
import type { Context } from "hono";
import type { Logger } from "../core/ports.ts";

// What @hono/node-server passes as the environment: the Node response, whose
// connection is ended when the body cannot be finished.
type NodeBindings = { outgoing?: { destroy(): void } } | undefined;

/** Passes `source` on as a body; an error in it is logged and ends the connection. */
export function streamBody(
  c: Context,
  source: ReadableStream<Uint8Array<ArrayBuffer>>,
  logger: Logger,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  const reader = source.getReader();
  return new ReadableStream({
    async pull(controller) {
      let next: ReadableStreamReadResult<Uint8Array<ArrayBuffer>>;
      try {
        next = await reader.read();
      } catch (error) {
        logger.warn("download cut off", { path: c.req.path, error: String(error) });
        const outgoing = (c.env as NodeBindings)?.outgoing;
        if (outgoing) outgoing.destroy();
        else controller.error(error);
        return;
      }
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    // The client went away: the store stops being read.
    cancel: (reason) => reader.cancel(reason).catch(() => {}),
  }, { highWaterMark: 0 });
}
