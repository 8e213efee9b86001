/**
 * Files over real HTTP for tests: an upload to a chat and a download, as a
 * client of the REST API makes them, and chats to send files in.
 * @module
 */
import { api, directChat, registerAll, type TestUser } from "./client.ts";

/**
 * Alice, Bob and Carol registered on the server at `url`; Alice's direct chat
 * with Bob, and her group "club" with Carol, where she forwards.
 */
export async function filesCast(url: string): Promise<{
  users: [TestUser, TestUser, TestUser];
  direct: string;
  group: string;
}> {
  const [alice, bob, carol] = await registerAll(url, "alice", "bob", "carol");
  const direct = await directChat(url, alice, bob);
  const group = (await api(url, "POST", "/api/chats", {
    token: alice.token,
    body: { type: "group", name: "club", participantIds: [carol.user.id] },
  })).body.chat.id;
  return { users: [alice, bob, carol], direct, group };
}

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
