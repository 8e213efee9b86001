// deno-lint-ignore-file no-explicit-any -- tests read arbitrary JSON answers
/**
 * Socket clients for tests, with real socket.io-client: a connected socket
 * that records what it receives, a pool to close together, the refusal of a
 * handshake, and an event's ack.
 * @module
 */
import { io, type Socket } from "socket.io-client";
import type { MessageStatusEvent, MessageView } from "../../src/protocol/mod.ts";

/** A connected test socket that records what it receives. */
export interface TestSocket {
  socket: Socket;
  /** Every `message:received`, in arrival order. */
  received: MessageView[];
  /** Every `message:status`, in arrival order. */
  statuses: MessageStatusEvent[];
  /** Every other event, as [name, payload]. */
  events: [string, unknown][];
  /** Whether `message:received` is acknowledged (set false to play a device that drops them). */
  autoAck: boolean;
  /** Why the connection ended (socket.io's reason), once it has. */
  disconnectReason?: string;
  close(): void;
}

/** Connects a socket with a token and waits until it is connected. */
export async function connect(
  url: string,
  token: string,
  options: { autoAck?: boolean; ackDelayMs?: number } = {},
): Promise<TestSocket> {
  const socket = io(url, {
    auth: { token },
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
  });
  const t: TestSocket = {
    socket,
    received: [],
    statuses: [],
    events: [],
    autoAck: options.autoAck ?? true,
    close: () => socket.close(),
  };
  socket.on("message:received", (message: MessageView, ack?: () => void) => {
    t.received.push(message);
    if (!t.autoAck) return;
    if (options.ackDelayMs) setTimeout(() => ack?.(), options.ackDelayMs);
    else ack?.();
  });
  socket.on("message:status", (status: MessageStatusEvent) => t.statuses.push(status));
  socket.on("disconnect", (reason) => (t.disconnectReason = reason));
  socket.onAny((event, payload) => {
    if (event !== "message:received" && event !== "message:status") t.events.push([event, payload]);
  });
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      socket.close();
      reject(error);
    };
    // A server that dies after the transport opened ends the attempt with a disconnect.
    const dropped = (reason: string) => fail(new Error(`Cannot connect: ${reason}`));
    socket.once("connect_error", fail);
    socket.once("disconnect", dropped);
    socket.once("connect", () => {
      socket.off("connect_error", fail);
      socket.off("disconnect", dropped);
      resolve();
    });
  });
  return t;
}

/**
 * Waits until the server finished setting up this connection (presence, first
 * drain): `user:reconnected` answers only after that.
 */
export async function settled(t: TestSocket): Promise<void> {
  const ack = await t.socket.timeout(10_000).emitWithAck("user:reconnected");
  if (!ack.ok) throw new Error(`Cannot settle connection: ${JSON.stringify(ack)}`);
}

/** The sockets a test opens, to close together at its end. */
export class SocketPool {
  /** Every socket opened, in order. */
  readonly sockets: TestSocket[] = [];

  /** A pool of sockets to the server at `url`. */
  constructor(readonly url: string) {}

  /** Connects with `token`; waits for the connection's setup (`settled`) unless `settle` is false. */
  async open(token: string, options: { settle?: boolean } = {}): Promise<TestSocket> {
    const socket = await connect(this.url, token);
    this.sockets.push(socket);
    if (options.settle ?? true) await settled(socket);
    return socket;
  }

  /** Closes every socket opened. */
  closeAll(): void {
    for (const socket of this.sockets) socket.close();
  }
}

/** Tries to connect and returns the `connect_error` message, or "connected". */
export function connectError(url: string, auth: Record<string, unknown>): Promise<string> {
  const socket = io(url, { auth, transports: ["websocket"], forceNew: true, reconnection: false });
  return new Promise((resolve) => {
    socket.once("connect", () => {
      socket.close();
      resolve("connected");
    });
    socket.once("connect_error", (error) => {
      socket.close();
      resolve(error.message);
    });
  });
}

/** Emits an event and waits for its ack. */
export function emitAck<T = any>(t: TestSocket, event: string, payload?: unknown): Promise<T> {
  return payload === undefined
    ? t.socket.timeout(10_000).emitWithAck(event)
    : t.socket.timeout(10_000).emitWithAck(event, payload);
}

/**
 * socket.io-client reconnection for tests that stop a server or drop a link:
 * back within a few hundred milliseconds rather than its default of seconds.
 */
export const fastRetry = { reconnectionDelay: 100, reconnectionDelayMax: 300 };
