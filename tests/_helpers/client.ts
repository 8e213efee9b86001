// deno-lint-ignore-file no-explicit-any -- tests read arbitrary JSON answers
/**
 * REST and socket clients for tests: real fetch and real socket.io-client.
 * @module
 */
import { io, type Socket } from "socket.io-client";
import type { AuthSession, MessageStatusEvent, MessageView } from "../../src/protocol/mod.ts";

/** A registered user with its token: the answer of register. */
export type TestUser = AuthSession;

/** The answer of a REST call: status and parsed body (null when empty). */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the REST API; the body is sent as JSON unless it is a string. */
export async function api<T = any>(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    ...options.headers,
  };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const body = options.body === undefined
    ? undefined
    : typeof options.body === "string"
    ? options.body
    : JSON.stringify(options.body);
  const res = await fetch(url + path, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

let counter = 0;

/** The password `register()` gives every user. */
export const PASSWORD = "correct horse";

/** Registers a fresh user with a unique name. */
export async function register(url: string, prefix = "user"): Promise<TestUser> {
  const name = `${prefix}${Date.now().toString(36)}${++counter}`;
  const res = await api<TestUser>(url, "POST", "/api/auth/register", {
    body: { username: name, email: `${name}@example.com`, password: PASSWORD },
  });
  if (res.status !== 201) throw new Error(`Cannot register ${name}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Logs a registered user in again (a new login); the answer as it came, refusals too. */
export function logIn(
  url: string,
  user: TestUser,
  password = PASSWORD,
): Promise<ApiResponse<TestUser>> {
  return api<TestUser>(url, "POST", "/api/auth/login", {
    body: { username: user.user.username, password },
  });
}

/** Registers one fresh user per prefix, one after another. */
export async function registerAll(url: string, ...prefixes: string[]): Promise<TestUser[]> {
  const users: TestUser[] = [];
  for (const prefix of prefixes) users.push(await register(url, prefix));
  return users;
}

/** Makes two users friends and opens their direct chat; returns the chat id. */
export async function directChat(url: string, a: TestUser, b: TestUser): Promise<string> {
  await api(url, "POST", `/api/friends/${b.user.id}`, { token: a.token });
  const res = await api(url, "POST", "/api/chats", {
    token: a.token,
    body: { type: "direct", participantIds: [b.user.id] },
  });
  return res.body.chat.id;
}

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

/** Whether the server at `url` accepts `token` (`GET /api/auth/me` answers 200). */
export async function tokenWorks(url: string, token: string): Promise<boolean> {
  return (await api(url, "GET", "/api/auth/me", { token })).status === 200;
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

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` is true, or fails after `ms` with `what`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Reads `/metrics` once; the result looks up a sample by its full name with labels. */
export async function scrape(url: string): Promise<(name: string) => number> {
  const text = await (await fetch(url + "/metrics")).text();
  return (name: string) => {
    const escaped = name.replace(/[{}"]/g, (c) => `\\${c}`);
    return Number(text.match(new RegExp(`^${escaped} ([\\d.e+]+)`, "m"))?.[1]);
  };
}

/** Reads a chat's whole history, oldest first. */
export async function history(url: string, token: string, chatId: string): Promise<any[]> {
  const messages: any[] = [];
  let beforeSeq: number | undefined;
  do {
    const query = `?limit=100${beforeSeq ? `&beforeSeq=${beforeSeq}` : ""}`;
    const page = await api(url, "GET", `/api/chats/${chatId}/messages${query}`, { token });
    if (page.status !== 200) throw new Error(`Cannot read history: ${JSON.stringify(page.body)}`);
    messages.push(...page.body.messages);
    beforeSeq = page.body.nextBeforeSeq ?? undefined;
  } while (beforeSeq);
  return messages.reverse();
}
