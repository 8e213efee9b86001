/**
 * What every part of `RestClient` shares: the server's URL, the token it sends
 * and the call that sends it.
 * @module
 */
import type { ChatView } from "../protocol/objects.ts";
import { ChatClientError } from "./errors.ts";
import { appUserPath, request } from "./_request.ts";

/** Options of a REST client. */
export interface RestOptions {
  /**
   * The user your app's backend acts as (`AppBackendClient.as`), its token
   * being `APP_BACKEND_TOKEN`: the chat and message calls go to
   * `/api/app/users/:userId/...`, and the others are refused.
   */
  actingAs?: string;
}

// The routes the app's backend may call as one of its users.
const ACTING_ROUTES = /^\/api\/(chats|messages)(\/|\?|$)/;

/** The server, the token and the one call every REST method makes. */
export class RestBase {
  readonly url: string;
  #token: string;
  #actingAs?: string;

  /** Creates a client for a token (see `RestClient.register` and `RestClient.login`). */
  constructor(url: string, token: string, options: RestOptions = {}) {
    this.url = url;
    this.#token = token;
    this.#actingAs = options.actingAs;
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
  protected async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return await request(this.url, this.route(path), { method, body, token: this.#token });
  }

  /**
   * Where a call to `path` goes: there, or for the app's backend acting as a
   * user, under `/api/app/users/:userId`; a call it may not make as the user
   * throws `forbidden` without asking the server.
   */
  protected route(path: string): string {
    if (this.#actingAs === undefined) return path;
    if (!ACTING_ROUTES.test(path)) {
      throw new ChatClientError({
        code: "forbidden",
        message: `Cannot call ${path.split("?")[0]} as the app's backend: only chats and messages`,
      });
    }
    return appUserPath(this.#actingAs, path.slice("/api".length));
  }

  /** Calls `path` and gives the chat it answers with. */
  protected async callChat(method: string, path: string, body?: unknown): Promise<ChatView> {
    return (await this.call<{ chat: ChatView }>(method, path, body)).chat;
  }
}
