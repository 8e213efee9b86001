/**
 * Extension: `/api/app/*`, for the app's backend holding `APP_BACKEND_TOKEN`.
 * It makes and deletes the accounts of its identity provider's users, logs in
 * as one of them (a bot on a socket), and acts as one of them in chats: every
 * route of `/api/chats` and `/api/messages` is also at
 * `/api/app/users/:userId/chats` and `.../messages`, as that user. So
 * the app opens the chat of an order between buyer and seller, or posts "your
 * order shipped" as its shop's account, with the rules a user's own request
 * meets (membership, blocks, roles) but not a person's rate limits.
 * @module
 */
import { Hono } from "hono";
import type { Core } from "../core/mod.ts";
import { actAsUser, externalAuthOf, sessionOf } from "./_auth.ts";
import { requireSecret } from "./_bearer_secret.ts";
import { providerAccountRoutes } from "./_provider_accounts.ts";
import { chatRoutes } from "./chats.ts";
import type { UploadOptions } from "./files.ts";
import { messageRoutes } from "./messages.ts";

/** Options of the app backend's routes. */
export interface AppBackendOptions {
  /** `APP_BACKEND_TOKEN`; without it the routes answer 404. */
  token?: string;
  /** As for the chat routes (its uploads). */
  files: UploadOptions;
}

/** The app backend's routes, mounted at `/api/app`. */
export function appBackendRoutes(core: Core, options: AppBackendOptions): Hono {
  const app = new Hono();
  app.use("*", requireSecret(options.token, "app backend token"));
  app.route("/", providerAccountRoutes(core, { appOnly: true }));

  // A login of one of the app's users, for a bot of the app on a socket.
  app.post("/users/:userId/login", async (c) => {
    const client = { agent: c.req.header("user-agent") };
    const login = await externalAuthOf(core).loginAs(c.req.param("userId"), client);
    return c.json(await sessionOf(core, login));
  });
  // Not `:userId`: the chat routes name other users so (`/participants/:userId`).
  const auth = actAsUser(core, "actingAs");
  app.route("/users/:actingAs/chats", chatRoutes(core, { ...options.files, auth }));
  app.route("/users/:actingAs/messages", messageRoutes(core, { auth }));
  return app;
}
