// deno-lint-ignore-file no-explicit-any -- tests read arbitrary JSON answers
/**
 * REST clients for tests, with real fetch, and waiting helpers; the socket
 * clients (real socket.io-client) are in `sockets.ts` and exported from here too,
 * so that a test imports its client from one place.
 * @module
 */
import type { AuthSession } from "../../src/protocol/mod.ts";

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

/** Whether the server at `url` accepts `token` (`GET /api/auth/me` answers 200). */
export async function tokenWorks(url: string, token: string): Promise<boolean> {
  return (await api(url, "GET", "/api/auth/me", { token })).status === 200;
}

export {
  connect,
  connectError,
  emitAck,
  fastRetry,
  settled,
  SocketPool,
  type TestSocket,
} from "./sockets.ts";

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

/**
 * `promise`, or a failure after `ms` with `what`: a message the SDK retries for
 * ever, or waits on for ever, fails the test instead of hanging it.
 */
export async function within<T>(promise: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
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
