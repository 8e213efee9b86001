/**
 * The Node HTTP server that carries the Hono app and Socket.IO on one port,
 * the error body of a request it cannot parse, and how long it lets a
 * connection sit. Deno's node:http enforces neither `headersTimeout` nor
 * `requestTimeout` (measured: a request whose headers never end stays open for
 * good), so anyone could hold connections, and file
 * descriptors, by sending half a request. Two limits of `idleMs` do their work,
 * as nginx's `client_header_timeout` and `client_body_timeout` do:
 * - a request's headers must arrive whole within it, counted from the
 *   connection or the previous answer: sending a header line now and then (the
 *   "slowloris" attack) holds nothing;
 * - a connection that moves no bytes for it is closed, whether its body stopped
 *   halfway or it waits between requests.
 * A WebSocket leaves both at its upgrade; Socket.IO's ping watches it. A
 * long-poll waits at most for the next ping, so the ping comes well within the
 * limit (see `pingIntervalWithin`).
 * @module
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { getRequestListener } from "@hono/node-server";

/** Options of `createNodeServer`. */
export interface NodeServerOptions {
  /** How long a connection may move no bytes, and a request's headers may take. */
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
  limitHeaderTime(server, options.idleMs);
  answerClientErrors(server);
  return server;
}

// A request Node cannot parse gets a bare status line from it, with no body: 431 for headers
// past its 16 KiB (a URL that long), 400 for the rest. The protocol promises an error body.
function answerClientErrors(server: Server): void {
  server.on("clientError", (error: Error & { code?: string }, socket: Duplex) => {
    // A connection reset, or one whose answer already went, has no one to read another.
    if (error.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
    const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
    const [status, code, message] = tooLarge
      ? ["431 Request Header Fields Too Large", "payload_too_large", "Request headers too large"]
      : ["400 Bad Request", "invalid_payload", "Malformed HTTP request"];
    const body = JSON.stringify({ error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

// Closes a connection whose next request's headers are not whole `ms` after it opened
// or after its last answer. Requests in progress (pipelined ones too) hold the clock.
function limitHeaderTime(server: Server, ms: number): void {
  const clocks = new WeakMap<Duplex, { timer?: ReturnType<typeof setTimeout>; busy: number }>();
  const clockOf = (socket: Duplex) => {
    let clock = clocks.get(socket);
    if (!clock) clocks.set(socket, clock = { busy: 0 });
    return clock;
  };
  const start = (socket: Duplex) => {
    const clock = clockOf(socket);
    clearTimeout(clock.timer);
    if (clock.busy === 0 && !socket.destroyed) clock.timer = setTimeout(() => socket.destroy(), ms);
  };
  const stop = (socket: Duplex) => clearTimeout(clockOf(socket).timer);
  server.on("connection", (socket: Duplex) => {
    start(socket);
    socket.once("close", () => stop(socket));
  });
  server.on("request", (request: IncomingMessage, response) => {
    const clock = clockOf(request.socket);
    clock.busy++;
    stop(request.socket);
    response.once("close", () => {
      clock.busy--;
      start(request.socket);
    });
  });
  server.on("upgrade", (request: IncomingMessage) => stop(request.socket));
}

/**
 * Socket.IO's ping interval for a server whose connections idle out after
 * `idleMs`: its default of 25 s, or half the limit when that is shorter, so a
 * long-poll is answered (by the ping) before its connection counts as idle.
 */
export function pingIntervalWithin(idleMs: number): number {
  return Math.min(25_000, Math.floor(idleMs / 2));
}
