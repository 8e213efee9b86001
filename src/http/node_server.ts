/**
 * The Node HTTP server that carries the Hono app and Socket.IO on one port,
 * and how long it lets a connection sit. Deno's node:http enforces neither
 * `headersTimeout` nor `requestTimeout` (measured: a request whose headers never
 * end stays open for good), so anyone could hold connections, and file
 * descriptors, by sending half a request. One idle limit does their work: a
 * connection that moves no bytes for `idleMs` is closed, whether its headers or
 * its body stopped halfway or it waits between requests. A WebSocket leaves the
 * timer at its upgrade; Socket.IO's ping watches it. A long-poll waits at most for the next ping, so the ping comes
 * well within the limit (see `pingIntervalWithin`).
 * @module
 */
import { createServer, type Server } from "node:http";
import { getRequestListener } from "@hono/node-server";

/** Options of `createNodeServer`. */
export interface NodeServerOptions {
  /** How long a connection may move no bytes before it is closed. */
  idleMs: number;
}

/**
 * A Node server answering with `fetch` (a Hono app's). The adapter replaces the
 * global Request and Response with lighter ones (its default, which Hono's
 * bodyLimit relies on); a Deno.serve in the same process cannot answer with them.
 */
export function createNodeServer(
  fetch: Parameters<typeof getRequestListener>[0],
  options: NodeServerOptions,
): Server {
  const server = createServer(getRequestListener(fetch));
  // With no "timeout" listener, Node destroys the socket when the timer fires.
  server.setTimeout(options.idleMs);
  // Between requests the keep-alive timer takes over, at Node's 5 s unless set: a load
  // balancer that keeps connections longer would reuse one being closed.
  server.keepAliveTimeout = options.idleMs;
  return server;
}

/**
 * Socket.IO's ping interval for a server whose connections idle out after
 * `idleMs`: its default of 25 s, or half the limit when that is shorter, so a
 * long-poll is answered (by the ping) before its connection counts as idle.
 */
export function pingIntervalWithin(idleMs: number): number {
  return Math.min(25_000, Math.floor(idleMs / 2));
}
