/**
 * `/api/chats`: create, list, read one, rename a group, its participants, roles
 * and invite link (invites.ts), history and changes, and sending and reading over
 * REST (the same paths as the socket's `message:send` and `message:markRead`, for
 * clients without a socket, such as a notification's reply and mark-as-read actions).
 * @module
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { Core } from "../core/mod.ts";
import {
  addParticipantSchema,
  changesQuery,
  clearChatSchema,
  createChatSchema,
  groupProfileSchema,
  historyQuery,
  listChatsQuery,
  messageTimerSchema,
  muteSchema,
  permissionsSchema,
  postMessageSchema,
  readBodySchema,
  searchQuery,
  setOwnerSchema,
} from "../protocol/mod.ts";
import { type AuthEnv, callerId, requireAuth } from "./_auth.ts";
import { groupInviteRoutes } from "./invites.ts";
import { chatFileRoutes, type UploadOptions } from "./files.ts";
import { jsonBody, query } from "./_validate.ts";

/** Options of the chat routes. */
export interface ChatRouteOptions extends UploadOptions {
  /** Who may call them (default: a user's token, `requireAuth`). */
  auth?: MiddlewareHandler<AuthEnv>;
}

/** The chat routes. */
export function chatRoutes(core: Core, options: ChatRouteOptions): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use("*", options.auth ?? requireAuth(core));

  app.post("/", async (c) => {
    const { chat, created } = await core.chats.create(
      callerId(c),
      await jsonBody(c, createChatSchema),
    );
    return c.json({ chat }, created ? 201 : 200);
  });

  app.get("/", async (c) => c.json(await core.chats.list(callerId(c), query(c, listChatsQuery))));

  app.get("/:chatId", async (c) => {
    return c.json({ chat: await core.chats.get(callerId(c), c.req.param("chatId")) });
  });

  app.put("/:chatId", async (c) => {
    const profile = await jsonBody(c, groupProfileSchema);
    const chatId = c.req.param("chatId");
    return c.json({ chat: await core.groups.setProfile(callerId(c), chatId, profile) });
  });

  app.get("/:chatId/messages", async (c) => {
    const page = await core.chats.history(
      callerId(c),
      c.req.param("chatId"),
      query(c, historyQuery),
    );
    return c.json(page);
  });

  app.get("/:chatId/pins", async (c) => {
    return c.json({ messages: await core.pins.list(callerId(c), c.req.param("chatId")) });
  });

  app.get("/:chatId/search", async (c) => {
    const options = query(c, searchQuery);
    return c.json(await core.search.search(callerId(c), c.req.param("chatId"), options));
  });

  app.get("/:chatId/changes", async (c) => {
    const page = await core.messages.changes(
      callerId(c),
      c.req.param("chatId"),
      query(c, changesQuery),
    );
    return c.json(page);
  });

  app.post("/:chatId/messages", async (c) => {
    const body = await jsonBody(c, postMessageSchema);
    const message = await core.delivery.send(callerId(c), {
      ...body,
      chatId: c.req.param("chatId"),
      clientMsgId: body.clientMsgId ?? crypto.randomUUID(),
    }, { limited: !c.get("byApp") });
    return c.json({ message }, 201);
  });

  app.put("/:chatId/timer", async (c) => {
    const { seconds } = await jsonBody(c, messageTimerSchema);
    return c.json({ chat: await core.timers.set(callerId(c), c.req.param("chatId"), seconds) });
  });

  app.put("/:chatId/mute", async (c) => {
    const { until } = await jsonBody(c, muteSchema);
    return c.json({ chat: await core.preferences.mute(callerId(c), c.req.param("chatId"), until) });
  });

  app.delete("/:chatId/mute", async (c) => {
    return c.json({ chat: await core.preferences.unmute(callerId(c), c.req.param("chatId")) });
  });

  // The caller's own settings of a chat: PUT sets one, DELETE lifts it.
  for (const [method, on] of [["put", true], ["delete", false]] as const) {
    app[method]("/:chatId/archive", async (c) => {
      const chatId = c.req.param("chatId");
      return c.json({ chat: await core.preferences.archive(callerId(c), chatId, on) });
    });
    app[method]("/:chatId/pin", async (c) => {
      const chatId = c.req.param("chatId");
      return c.json({ chat: await core.preferences.pin(callerId(c), chatId, on) });
    });
    app[method]("/:chatId/unread", async (c) => {
      const chatId = c.req.param("chatId");
      return c.json({ chat: await core.preferences.markUnread(callerId(c), chatId, on) });
    });
  }

  app.post("/:chatId/clear", async (c) => {
    const { upToSeq } = await jsonBody(c, clearChatSchema);
    const chatId = c.req.param("chatId");
    return c.json({ chat: await core.preferences.clearHistory(callerId(c), chatId, upToSeq) });
  });

  app.post("/:chatId/read", async (c) => {
    const body = await jsonBody(c, readBodySchema);
    await core.delivery.markRead(callerId(c), { chatId: c.req.param("chatId"), ...body });
    return c.body(null, 204);
  });

  app.post("/:chatId/participants", async (c) => {
    const { userId } = await jsonBody(c, addParticipantSchema);
    return c.json({
      chat: await core.groups.addParticipant(callerId(c), c.req.param("chatId"), userId),
    });
  });

  app.delete("/:chatId/participants/:userId", async (c) => {
    const chat = await core.groups.removeParticipant(
      callerId(c),
      c.req.param("chatId"),
      c.req.param("userId"),
    );
    return c.json({ chat });
  });

  for (const [method, admin] of [["put", true], ["delete", false]] as const) {
    app[method]("/:chatId/admins/:userId", async (c) => {
      const chat = await core.roles.setAdmin(callerId(c), c.req.param("chatId"), {
        memberId: c.req.param("userId"),
        admin,
      });
      return c.json({ chat });
    });
  }

  app.put("/:chatId/permissions", async (c) => {
    const change = await jsonBody(c, permissionsSchema);
    return c.json({
      chat: await core.roles.setPermissions(callerId(c), c.req.param("chatId"), change),
    });
  });

  app.put("/:chatId/owner", async (c) => {
    const { userId } = await jsonBody(c, setOwnerSchema);
    return c.json({ chat: await core.roles.setOwner(callerId(c), c.req.param("chatId"), userId) });
  });

  app.route("/", groupInviteRoutes(core));
  app.route("/", chatFileRoutes(core, options));

  return app;
}
