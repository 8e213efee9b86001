/**
 * `AppBackendClient`: your app's backend, holding `APP_BACKEND_TOKEN`, makes
 * and deletes its users' accounts, logs in as one of them (a bot) and acts as
 * one of them. For Deno and Node only: that token must never reach a browser
 * or an app.
 *
 * ```ts
 * const backend = new AppBackendClient(url, Deno.env.get("APP_BACKEND_TOKEN")!);
 * await backend.putUser("shop", { displayName: "Kim's Shop" });
 * const shop = backend.as("shop");
 * const chat = await shop.createGroup("Order 123", ["buyer|1"]);
 * await shop.sendMessage(chat.id, "Your order shipped", { clientMsgId: "order-123-shipped" });
 * ```
 * @module
 */
import type { AdminUserView } from "../protocol/reports.ts";
import type { ProvisionInput } from "../protocol/account_schemas.ts";
import type { AuthSession } from "../protocol/users.ts";
import { appUserPath, request } from "./_request.ts";
import { RestClient } from "./rest.ts";

/** What `putUser` sets of an account; the username counts only when it makes one. */
export type AppUserProfile = ProvisionInput;

/** Calls `/api/app/*` with `APP_BACKEND_TOKEN`. */
export class AppBackendClient {
  readonly url: string;
  #token: string;

  /** Creates a client for the server at `url` and your backend's token. */
  constructor(url: string, token: string) {
    this.url = url;
    this.#token = token;
  }

  /**
   * Makes the account of your user `userId` (as their first login through
   * your identity provider would), or brings its profile in step; resolves
   * with the account as the operators see it.
   */
  async putUser(userId: string, profile: AppUserProfile = {}): Promise<AdminUserView> {
    const path = appUserPath(userId);
    const body = { method: "PUT", body: profile, token: this.#token };
    return (await request<{ user: AdminUserView }>(this.url, path, body)).user;
  }

  /** Deletes the account of your user `userId`, as their own deletion would; again is fine. */
  async deleteUser(userId: string): Promise<void> {
    await request(this.url, appUserPath(userId), { method: "DELETE", token: this.#token });
  }

  /**
   * Starts a login of your user `userId`, for a bot of your app on a socket
   * (`new ChatClient({ url, token })`): its messages arrive as on any device,
   * in order and acknowledged; refresh it as any login (`keepLoggedIn`).
   */
  login(userId: string): Promise<AuthSession> {
    const path = appUserPath(userId, "/login");
    return request(this.url, path, { method: "POST", token: this.#token });
  }

  /**
   * A `RestClient` acting as your user `userId`: its chat and message calls
   * (`createGroup`, `sendMessage`, `history`, `uploadFile`, ...) are made as
   * that user, without a person's rate limits; the others throw `forbidden`.
   */
  as(userId: string): RestClient {
    return new RestClient(this.url, this.#token, { actingAs: userId });
  }
}
