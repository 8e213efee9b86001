/**
 * The server's notification events turned into the client's own: presence and
 * typing become one event each with a flag, the others pass through as they are
 * (`message:sent`, a send of another of the user's devices, as `sent`;
 * `chat:updated` as `participants`).
 * Messages and the connection are the client's own business (client.ts).
 * @module
 */
import type { Socket } from "socket.io-client";
import { ServerEvents } from "../protocol/events.ts";
import type { Emitter } from "./_emitter.ts";
import type { ChatClientEvents } from "./events.ts";

/** Subscribes `events` to the notifications arriving on `socket`. */
export function forwardNotifications(socket: Socket, events: Emitter<ChatClientEvents>): void {
  socket.on(ServerEvents.messageStatus, (s) => events.notify("status", s));
  socket.on(ServerEvents.messageSent, (m) => events.notify("sent", m));
  socket.on(ServerEvents.chatRead, (e) => events.notify("read", e));
  socket.on(ServerEvents.chatPreferences, (e) => events.notify("preferences", e));
  socket.on(ServerEvents.messageStarred, (e) => events.notify("starred", e));
  socket.on(ServerEvents.userOnline, (e) => events.notify("presence", { ...e, online: true }));
  socket.on(
    ServerEvents.userOffline,
    (e) => events.notify("presence", { userId: e.userId, at: e.lastSeen, online: false }),
  );
  socket.on(ServerEvents.userTyping, (e) => events.notify("typing", { ...e, typing: true }));
  socket.on(
    ServerEvents.userStoppedTyping,
    (e) => events.notify("typing", { ...e, typing: false }),
  );
  socket.on(ServerEvents.messageEdited, (m) => events.notify("edited", m));
  socket.on(ServerEvents.messageDeleted, (e) => events.notify("deleted", e));
  socket.on(ServerEvents.messageReactionUpdated, (e) => events.notify("reaction", e));
  socket.on(ServerEvents.chatUpdated, (e) => events.notify("participants", e));
}
