/**
 * The HTTP call under `RestClient`: JSON in and out, the bearer token, and the
 * server's error body turned into a `ChatClientError`.
 * @module
 */
import { ERROR_STATUS, type ErrorCode } from "../protocol/errors.ts";
import { ChatClientError } from "./errors.ts";
import { fetchWithProgress, type OnProgress } from "./_progress.ts";

/** What one call sends: the method, a body (JSON, or a `Blob` as it is), and the token. */
export interface RequestOptions {
  method: string;
  body?: unknown;
  token?: string;
  /** With a `Blob` body: called as it goes (`_progress.ts`). */
  onProgress?: OnProgress;
  /** Stops the call: it rejects with an `AbortError`. */
  signal?: AbortSignal;
}

/** Calls `path` on the server at `url`; a 204 resolves with `undefined`. */
export async function request<T>(url: string, path: string, options: RequestOptions): Promise<T> {
  const res = await fetchOk(url, path, options);
  if (res.status === 204) return undefined as T;
  return await res.json().catch(() => ({})) as T;
}

/** Calls `path`, whose answer is bytes (a file), as a `Blob` of the answer's type. */
export async function requestBlob(
  url: string,
  path: string,
  options: RequestOptions,
): Promise<Blob> {
  return await (await fetchOk(url, path, options)).blob();
}

/** Calls `path`, whose answer is one JSON value per line (NDJSON). */
export async function requestLines<T>(
  url: string,
  path: string,
  options: RequestOptions,
): Promise<T[]> {
  const text = await (await fetchOk(url, path, options)).text();
  return text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as T);
}

// The answer when it is a success; the server's refusal as a ChatClientError otherwise.
async function fetchOk(url: string, path: string, options: RequestOptions): Promise<Response> {
  const { method, body, token, onProgress, signal } = options;
  const headers: Record<string, string> = {};
  // A Blob (a file) goes as it is, under its own type.
  const raw = body instanceof Blob;
  if (raw) headers["Content-Type"] = body.type || "application/octet-stream";
  else if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = raw && onProgress
    ? await fetchWithProgress({ url: url + path, method, headers, body, signal }, onProgress)
    : await fetch(url + path, {
      method,
      headers,
      signal,
      body: raw ? body : body === undefined ? undefined : JSON.stringify(body),
    });
  if (res.ok) return res;
  const json = await res.json().catch(() => ({}));
  throw new ChatClientError(
    json.error ?? {
      code: codeOf(res.status),
      message: `HTTP ${res.status}`,
      retryAfterMs: retryAfter(res.headers.get("Retry-After")),
    },
  );
}

// A proxy's `Retry-After` (RFC 9110: seconds, or a date), in milliseconds: a load balancer's
// 503 during a deploy tells the outbox when to try again. Unset when absent or unreadable.
function retryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const ms = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - Date.now();
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}

// The code of an answer without the server's error body (a proxy's, say): the protocol's code
// of that status, else busy for a 5xx and refused for any other. A proxy's 413 for a large
// upload must fail the message, not have the outbox upload it again every second.
function codeOf(status: number): ErrorCode {
  const codes = Object.entries(ERROR_STATUS) as [ErrorCode, number][];
  return codes.find(([, s]) => s === status)?.[0] ??
    (status >= 500 ? "unavailable" : "invalid_payload");
}

/**
 * The path of one chat, or of `tail` under it, with the query parameters that
 * are set (a `limit` left out is the server's default page of 50).
 */
export function chatPath(
  chatId: string,
  tail:
    | ""
    | "messages"
    | "changes"
    | "read"
    | "mute"
    | "archive"
    | "pin"
    | "search"
    | "pins"
    | "participants"
    | `participants/${string}`
    | `admins/${string}`
    | "owner"
    | "permissions"
    | "invite"
    | "clear"
    | "files"
    | "timer"
    | "unread" = "",
  params: QueryParams = {},
): string {
  return withQuery(`/api/chats/${encodeURIComponent(chatId)}${tail && `/${tail}`}`, params);
}

/** Query parameters of a path; those left undefined are not sent. */
export type QueryParams = Record<string, string | number | undefined>;

/** `path` with the query parameters that are set. */
export function withQuery(path: string, params: QueryParams): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) query.set(name, String(value));
  }
  return query.size > 0 ? `${path}?${query}` : path;
}

/**
 * The path of one of your users at the app backend's API, with `rest` after it
 * (`/login`, or a user's own route under `/api` for acting as them).
 */
export function appUserPath(userId: string, rest = ""): string {
  return `/api/app/users/${encodeURIComponent(userId)}${rest}`;
}

/** The path of `tail` under one message, or of the message itself. */
export function messagePath(
  messageId: string,
  tail: "" | "pin" | "star" | "receipts" = "",
): string {
  return `/api/messages/${encodeURIComponent(messageId)}${tail && `/${tail}`}`;
}
