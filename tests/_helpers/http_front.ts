/**
 * An HTTP front before a test server, as a load balancer or a flaky network
 * is to a client: it forwards each request, unless the test answers it itself
 * (a 502 while the upstream restarts, say). A WebSocket (a Socket.IO client)
 * is passed through as it is, and stays connected meanwhile. On node:http,
 * like the server: Hono's node adapter swaps the global Response, which
 * Deno.serve refuses.
 * @module
 */
import { createServer, type IncomingMessage, request } from "node:http";
import { connect, type Socket } from "node:net";

/** A running front. */
export interface HttpFront {
  /** `http://127.0.0.1:<port>` of the front. */
  url: string;
  /** Stops the front, cutting what is still open (a long-poll). */
  close(): Promise<void>;
}

/** An answer of the front's own. */
export interface FrontResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * What the test answers instead of the upstream: a response, or null to
 * forward; a promise holds the request meanwhile. A request whose client went
 * away meanwhile is not forwarded.
 */
export type FrontAnswer = (
  request: IncomingMessage,
) => FrontResponse | null | Promise<FrontResponse | null>;

/** Starts a front on a free port that forwards to `127.0.0.1:<port>` what `answer` leaves. */
export async function startHttpFront(port: number, answer: FrontAnswer): Promise<HttpFront> {
  const server = createServer(async (req, res) => {
    const own = await answer(req);
    if (req.socket.destroyed) return;
    if (own) {
      req.resume();
      res.writeHead(own.status, own.headers).end(own.body ?? "");
      return;
    }
    const { method, url: path, headers } = req;
    const upstream = request({ host: "127.0.0.1", port, method, path, headers }, (answered) => {
      res.writeHead(answered.statusCode!, answered.headers);
      answered.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  // An upgrade (a WebSocket) goes to the upstream byte for byte, its request first.
  const tunnels = new Set<Socket>();
  server.on("upgrade", (req: IncomingMessage, client: Socket, head: Uint8Array) => {
    const upstream = connect(port, "127.0.0.1");
    for (const socket of [client, upstream]) {
      tunnels.add(socket);
      socket.on("close", () => tunnels.delete(socket)).on("error", () => {});
    }
    const lines = Object.entries(req.headers).map(([name, value]) => `${name}: ${value}\r\n`);
    upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${lines.join("")}\r\n`);
    upstream.write(head);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port: own } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${own}`,
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of tunnels) socket.destroy();
      return closed;
    },
  };
}
