/**
 * The HTTP side of a graceful stop (see `src/draining.ts`). The node keeps
 * listening while it drains, so that a request arriving meanwhile meets a
 * clean `503 unavailable` rather than a refused or reset connection, `/health`
 * answers 503 so that a balancer takes the node out, and every answer closes
 * its connection, so that no client sends its next request down a kept-alive
 * connection that is about to be closed under it.
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { toErrorBody, UnavailableError } from "../core/errors.ts";
import type { Draining } from "../draining.ts";

/** Counts each request as running until answered; refuses all of them once draining began. */
export function drainGuard(draining: Draining): MiddlewareHandler {
  return async (c, next) => {
    const done = draining.admit();
    if (!done) {
      const error = toErrorBody(new UnavailableError("Server is shutting down"));
      return c.json({ error }, 503, { Connection: "close" });
    }
    try {
      await next();
    } finally {
      done();
    }
    if (draining.draining) c.header("Connection", "close");
  };
}
