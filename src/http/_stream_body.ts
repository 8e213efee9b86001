/**
 * File bodies streamed through HTTP. A response body streamed from the store. Once its first bytes are sent, an
 * error (the file removed meanwhile, a store gone down) can no longer change
 * the status: it is logged here and the connection is cut, which the client
 * sees as a body shorter than its `Content-Length`, a download to resume. Left
 * to the Node server adapter, the error would be printed as a bare stack trace.
 * A client that takes no bytes for `idleMs` is cut off the same way (as nginx's
 * `send_timeout`): a stalled phone, or someone holding downloads open on
 * purpose, keeps neither the connection nor a graceful stop waiting. An upload
 * whose client sends no bytes for `idleMs` is cut off too (as nginx's
 * `client_body_timeout`); Deno's Node server enforces no `requestTimeout`.
 * @module
 */
import type { Context } from "hono";
import type { Logger } from "../core/ports.ts";
import type { Draining } from "../draining.ts";

// What @hono/node-server passes as the environment: the Node response, whose
// connection is ended when the body cannot be finished.
type NodeBindings = {
  outgoing?: { destroy(): void; once(event: "close", listener: () => void): unknown };
} | undefined;

/** Options of `streamBody`. */
export interface StreamBodyOptions {
  logger: Logger;
  /** A graceful stop waits for the body as for a request, within its grace. */
  draining: Draining;
  /** How long the client may take no bytes (no pull of the body) before it is cut off. */
  idleMs: number;
}

/**
 * Passes `source` on as a body; an error in it is logged and ends the
 * connection. The request's handler has returned by then, so the body counts
 * as running on its own: a deploy lets a download in progress finish.
 */
export function streamBody(
  c: Context,
  source: ReadableStream<Uint8Array<ArrayBuffer>>,
  options: StreamBodyOptions,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  const { logger } = options;
  const reader = source.getReader();
  const outgoing = (c.env as NodeBindings)?.outgoing;
  // Running until the response closes: its last bytes handed to the system, or the
  // connection gone. Null when the stop began after the request was admitted.
  const running = options.draining.admit();
  // The time since the client last asked for bytes: the server adapter pulls the body
  // only when the connection took what was written before.
  let idle: ReturnType<typeof setTimeout> | undefined;
  let over = false;
  // The body is over: no more waiting on the client. Off Node (`app.fetch`), the
  // body's own end is the response's, and a stop need wait no longer.
  const end = () => {
    over = true;
    clearTimeout(idle);
    if (!outgoing) running?.();
  };
  outgoing?.once("close", () => {
    end();
    running?.();
  });
  // Ends the connection early: the client sees a body shorter than its Content-Length.
  const cutOff = (controller: ReadableStreamDefaultController, error: unknown) => {
    end();
    if (outgoing) outgoing.destroy();
    else controller.error(error);
  };
  const waitForPull = (controller: ReadableStreamDefaultController) => {
    if (over) return;
    idle = setTimeout(() => {
      logger.info("download stalled", { path: c.req.path, idleMs: options.idleMs });
      cutOff(controller, new Error("Cannot send file: the client took nothing"));
    }, options.idleMs);
  };
  return new ReadableStream({
    start: waitForPull,
    async pull(controller) {
      clearTimeout(idle);
      let next: ReadableStreamReadResult<Uint8Array<ArrayBuffer>>;
      try {
        next = await reader.read();
      } catch (error) {
        logger.warn("download cut off", { path: c.req.path, error: String(error) });
        return cutOff(controller, error);
      }
      if (next.done) {
        end();
        controller.close();
      } else {
        controller.enqueue(next.value);
        waitForPull(controller);
      }
    },
    // The client went away: the store stops being read.
    cancel: (reason) => {
      end();
      return reader.cancel(reason).catch(() => {});
    },
  }, { highWaterMark: 0 });
}

/**
 * Passes an upload's request `body` on, erroring it when the client sends no
 * bytes for `options.idleMs` while the store waits for them: the core takes
 * that as a body cut short (400, nothing kept), and the upload holds nothing.
 */
export function requestBody(
  c: Context,
  body: ReadableStream<Uint8Array>,
  options: Omit<StreamBodyOptions, "draining">,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          options.logger.info("upload stalled", { path: c.req.path, idleMs: options.idleMs });
          // Refused before the body is let go, so that the race ends on the refusal.
          reject(new Error(`Cannot read upload: no bytes for ${options.idleMs} ms`));
          reader.cancel().catch(() => {});
        }, options.idleMs);
      });
      try {
        const next = await Promise.race([reader.read(), stalled]);
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
}
