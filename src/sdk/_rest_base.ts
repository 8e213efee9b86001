/**
 * What every part of `RestClient` shares: the server's URL, the token it sends
 * and the call that sends it.
 * @module
 */
import type { ChatView } from "../protocol/objects.ts";
import { request } from "./_request.ts";

/** The server, the token and the one call every REST method makes. */
export class RestBase {
  readonly url: string;
  #token: string;

  /** Creates a client for a token (see `RestClient.register` and `RestClient.login`). */
  constructor(url: string, token: string) {
    this.url = url;
    this.#token = token;
  }

  /** The token the client sends. */
  get token(): string {
    return this.#token;
  }

  /** Sends `token` from now on (after `refresh()`; `keepLoggedIn` does it for you). */
  setToken(token: string): void {
    this.#token = token;
  }

  /** Calls `path` with the token; errors arrive as `ChatClientError`. */
  protected call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return request(this.url, path, { method, body, token: this.#token });
  }

  /** Calls `path` and gives the chat it answers with. */
  protected async callChat(method: string, path: string, body?: unknown): Promise<ChatView> {
    return (await this.call<{ chat: ChatView }>(method, path, body)).chat;
  }
}
