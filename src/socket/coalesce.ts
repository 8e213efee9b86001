/**
 * One write per connection per burst: frames that the server sends a socket in
 * the same turn of the event loop leave in a single writev.
 *
 * A group commit resolves dozens of sends at once, and each becomes frames to the
 * same few sockets (the sender's acks, the recipient's messages, ticks). ws writes
 * every frame by itself, one system call each, and those calls were the biggest
 * single cost of the server's main thread in the online relay (15% of its busy
 * time; 7% once coalesced). Corking the TCP socket at the first write of a turn
 * and uncorking it once the turn's callbacks and microtasks have all run
 * (setImmediate) sends the burst in one writev; a lone frame waits for nothing
 * but the end of the current turn.
 * @module
 */
import type { Socket as TcpSocket } from "node:net";
import type { Server } from "socket.io";

const COALESCED = Symbol("coalesced");

/** Makes a TCP socket buffer the writes of one turn and send them together. */
export function coalesceWrites(tcp: TcpSocket): void {
  const marked = tcp as TcpSocket & { [COALESCED]?: true };
  if (marked[COALESCED]) return;
  marked[COALESCED] = true;
  const write = tcp.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    tcp.uncork();
  };
  tcp.write = function (this: TcpSocket, ...args: Parameters<TcpSocket["write"]>) {
    if (!corked && !tcp.destroyed) {
      corked = true;
      tcp.cork();
      setImmediate(uncork);
    }
    return write.apply(this, args);
  } as TcpSocket["write"];
}

/**
 * Coalesces the writes of every WebSocket connection of a Socket.IO server,
 * including connections that upgrade from polling. `onMissing` hears of a
 * WebSocket transport whose TCP socket could not be found (engine.io keeps it as
 * `transport.socket._socket`, ws's name): those connections work, uncoalesced.
 */
export function coalesceEngineWrites(io: Server, onMissing: () => void): void {
  const attach = (transport: { name?: string; socket?: { _socket?: TcpSocket } }) => {
    if (transport.name !== "websocket") return;
    const tcp = transport.socket?._socket;
    if (tcp && typeof tcp.cork === "function") coalesceWrites(tcp);
    else onMissing();
  };
  io.engine.on("connection", (conn) => {
    attach(conn.transport);
    conn.on("upgrade", attach);
  });
}
