/**
 * Files over real HTTP for tests: an upload to a chat and a download, as a
 * client of the REST API makes them.
 * @module
 */

/** The answer to an upload: its status and JSON body (`{ file }` or `{ error }`). */
export interface Uploaded {
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/**
 * Uploads `body` to a chat as the file `name`, of `type` when one is given,
 * with `media` as further query parameters (`width`, `height`, `durationMs`).
 */
export async function upload(
  url: string,
  token: string,
  file: {
    chatId: string;
    name: string;
    body: BodyInit;
    type?: string;
    media?: Record<string, string | number>;
  },
): Promise<Uploaded> {
  const { chatId, name, body, type, media = {} } = file;
  const query = new URLSearchParams({ name, ...media } as Record<string, string>);
  const res = await fetch(`${url}/api/chats/${chatId}/files?${query}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, ...(type ? { "Content-Type": type } : {}) },
    body,
  });
  return { status: res.status, body: await res.json() };
}

/** Fetches a file with `token`, and any further request headers (Range, If-None-Match). */
export function download(
  url: string,
  token: string,
  id: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${url}/api/files/${id}`, {
    headers: { Authorization: `Bearer ${token}`, ...headers },
  });
}
