/**
 * The load generator's building blocks: pairs of connected clients against our
 * server or the bare relay, and the measurements the scenarios share.
 * @module
 */
import { io, type Socket } from "socket.io-client";
import { directChat, register, type TestUser } from "../tests/_helpers/client.ts";

/** A sender and its recipient, both connected, whatever the server. */
export interface Pair {
  send(content: string): Promise<unknown>;
  /** Sets the one handler of received messages' content (called after the ack). */
  onReceived(handler: (content: string) => void): void;
  /**
   * Sets the one handler of "delivered" ticks at the sender: the server stored the
   * recipient's ack. Absent for the bare relay, which stores nothing.
   */
  onDelivered?(handler: () => void): void;
  close(): void;
}

/** Latency percentiles in milliseconds. */
export interface Percentiles {
  p50: number;
  p99: number;
}

/** p50 and p99 of a list of milliseconds, rounded to 0.1 ms. */
export function percentiles(values: number[]): Percentiles {
  const sorted = values.toSorted((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
  return { p50: round(at(0.5)), p99: round(at(0.99)) };
}

/** Rounds to one decimal. */
export const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Connects one websocket-only Socket.IO client (`listen` adds its listeners
 * first) and waits for `connect`.
 */
export function open(
  url: string,
  auth: Record<string, unknown>,
  listen?: (socket: Socket) => void,
): Promise<Socket> {
  const socket = io(url, { auth, transports: ["websocket"], forceNew: true, reconnection: false });
  // Listeners go on before the connection: the server starts a drain as it accepts one, and
  // a message in the same read as the connect would come before a listener added after it.
  listen?.(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
}

function pairOf(sender: Socket, recipient: Socket, payload: (content: string) => unknown): Pair {
  return {
    send: (content) => sender.timeout(60_000).emitWithAck("message:send", payload(content)),
    onReceived(handler) {
      recipient.off("message:received");
      recipient.on("message:received", (m: { content: string }, ack?: () => void) => {
        ack?.();
        handler(m.content);
      });
    },
    close() {
      sender.close();
      recipient.close();
    },
  };
}

let sends = 0;

/** A pair of users of our server with a direct chat between them. */
export async function serverPair(url: string): Promise<Pair & { users: [TestUser, TestUser] }> {
  const [a, b] = [await register(url, "s"), await register(url, "r")];
  const chatId = await directChat(url, a, b);
  const [sender, recipient] = await Promise.all([
    open(url, { token: a.token }),
    open(url, { token: b.token }),
  ]);
  const pair = pairOf(sender, recipient, (content) => ({
    chatId,
    content,
    clientMsgId: `b${++sends}`,
  }));
  const onDelivered = (handler: () => void) => {
    sender.off("message:status");
    sender.on("message:status", (tick: { status: string }) => {
      if (tick.status === "delivered") handler();
    });
  };
  return { ...pair, onDelivered, users: [a, b] };
}

/** A pair of clients of the bare relay. */
export async function barePair(url: string, index: number): Promise<Pair> {
  const [sender, recipient] = await Promise.all([
    open(url, { id: `s${index}` }),
    open(url, { id: `r${index}` }),
  ]);
  return pairOf(sender, recipient, (content) => ({ to: `r${index}`, content }));
}

let filled = 0;

/** `count` connected pairs, ten connecting at a time. */
export function connectPairs(count: number, make: (i: number) => Promise<Pair>): Promise<Pair[]> {
  return pool(Array.from({ length: count }, (_, i) => i), 10, (_, i) => make(i));
}

/** Sends `count` messages into a chat over 64 lanes; resolves when all are acked. */
export async function fill(
  url: string,
  token: string,
  chatId: string,
  count: number,
): Promise<void> {
  const socket = await open(url, { token });
  const ids = Array.from({ length: count }, (_, i) => i);
  await pool(ids, 64, (i) =>
    socket.timeout(60_000).emitWithAck("message:send", {
      chatId,
      content: `m${i}`,
      clientMsgId: `f${++filled}`,
    }));
  socket.close();
}

/** Runs `task` over `items` with at most `limit` running at once. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** Resident memory of a process in MB, from /proc (Linux). */
export async function rssMb(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kb = Number(status.match(/VmRSS:\s+(\d+) kB/)?.[1] ?? NaN);
  return round(kb / 1024);
}

/** Waits for `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
