/**
 * An upload that tells how far it got. `fetch` tells nothing of a request's
 * body as it goes, and a browser streams one (the only way to count it) over
 * HTTP/2 alone. XMLHttpRequest's upload events do, in browsers and React
 * Native: a 10 MiB video on a phone's network shows a bar instead of a clock.
 * Elsewhere (Deno, Node: servers and bots) the upload goes through `fetch` and
 * tells its end only.
 * @module
 */

/** Called as an upload's bytes go: `sent` of `total` so far. */
export type OnProgress = (sent: number, total: number) => void;

/** What one upload sends: where, how, and the body, a Blob. */
export interface ProgressRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Blob;
  signal?: AbortSignal;
}

// The statuses whose Response may carry no body (the Response constructor refuses one).
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

// What of XMLHttpRequest is used here: Deno's types have none of the DOM's.
interface Xhr {
  open(method: string, url: string): void;
  abort(): void;
  setRequestHeader(name: string, value: string): void;
  responseType: string;
  upload: { onprogress: ((e: { loaded: number; total: number }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  ontimeout: (() => void) | null;
  status: number;
  statusText: string;
  response: Blob;
  getAllResponseHeaders(): string;
  send(body: Blob): void;
}

/**
 * Sends `request`, calling `onProgress` as its body goes (at least once, at
 * its end, when the server answered); answers the server's Response as
 * `fetch` would, and rejects with a `TypeError` when the network fails and
 * with the signal's reason (an `AbortError`) when it is aborted.
 */
export function fetchWithProgress(
  request: ProgressRequest,
  onProgress: OnProgress,
): Promise<Response> {
  const XhrClass = (globalThis as { XMLHttpRequest?: new () => Xhr }).XMLHttpRequest;
  if (!XhrClass) return fetchThenEnd(request, onProgress);
  const { url, method, headers, body, signal } = request;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const xhr = new XhrClass();
    xhr.open(method, url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.responseType = "blob";
    xhr.upload.onprogress = (e) => onProgress(e.loaded, body.size);
    xhr.onload = () => {
      onProgress(body.size, body.size);
      const status = xhr.status;
      resolve(
        new Response(NULL_BODY.has(status) ? null : xhr.response, {
          status,
          statusText: xhr.statusText,
          headers: headersOf(xhr.getAllResponseHeaders()),
        }),
      );
    };
    // As fetch: the network failing is a TypeError, which the outbox tries again.
    xhr.onerror = () => reject(new TypeError("Cannot upload file: the network failed"));
    xhr.onabort = () =>
      reject(signal?.reason ?? new TypeError("Cannot upload file: it was aborted"));
    xhr.ontimeout = xhr.onerror;
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

async function fetchThenEnd(request: ProgressRequest, onProgress: OnProgress): Promise<Response> {
  const { url, ...init } = request;
  const res = await fetch(url, init);
  onProgress(request.body.size, request.body.size);
  return res;
}

// The answer's headers, from XMLHttpRequest's "name: value" lines.
function headersOf(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const at = line.indexOf(":");
    if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return headers;
}
