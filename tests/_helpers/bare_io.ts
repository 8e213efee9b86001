/**
 * A bare Socket.IO server (no auth, no handlers of ours) listening on a free
 * port of 127.0.0.1: for tests of one socket piece on its own.
 * @module
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type ServerOptions } from "socket.io";

/** Starts the server; close it with `io.close()`. */
export async function listenIo(
  options: Partial<ServerOptions> = {},
): Promise<{ io: Server; url: string }> {
  const http = createServer();
  const io = new Server(http, { serveClient: false, ...options });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}
