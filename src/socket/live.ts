/**
 * Live chat state that only matters while sockets are connected: typing
 * indicators, and who has a chat open (`chat:join` / `chat:leave`).
 *
 * A typing indicator expires by itself `typingTtlMs` after the last `chat:typing`,
 * so a client that vanishes mid-sentence does not leave "typing…" behind. While
 * the typist keeps going, `user:typing` is told again at most every half TTL, so
 * a device that connected meanwhile catches up within a keep-alive or two.
 * Who has a chat open is the chat's Socket.IO room; with the Redis adapter
 * `fetchSockets()` answers across nodes.
 * @module
 */
import type { Server, Socket } from "socket.io";
import type { Core, Logger } from "../core/mod.ts";
import { chatRefSchema, ClientEvents, ServerEvents } from "../protocol/mod.ts";
import { onEvent } from "./ack.ts";
import { chatRoom, type SocketNotifier } from "./notifier.ts";

/** Options of the live events. */
export interface LiveOptions {
  typingTtlMs: number;
  /** Reaches users' devices on every node. */
  notifier: SocketNotifier;
}

/** Registers typing and join/leave events on a socket. */
export function registerLiveEvents(
  io: Server,
  socket: Socket,
  core: Core,
  logger: Logger,
  options: LiveOptions,
): void {
  const userId = socket.data.userId as string;
  const typing = new Map<string, ReturnType<typeof setTimeout>>();
  // When `user:typing` was last told, per chat.
  const told = new Map<string, number>();

  const others = (chat: { participantIds: string[] }) =>
    chat.participantIds.filter((id) => id !== userId);
  const stopTyping = async (chatId: string) => {
    const timer = typing.get(chatId);
    if (timer === undefined) return;
    clearTimeout(timer);
    typing.delete(chatId);
    told.delete(chatId);
    // Stopping needs no writable chat: a block while typing still ends the indicator.
    const { chat } = await core.chats.requireMember(chatId, userId);
    options.notifier.emit(others(chat), ServerEvents.userStoppedTyping, { chatId, userId });
  };
  const activeUsers = async (chatId: string) => {
    const sockets = await io.in(chatRoom(chatId)).fetchSockets();
    const ids = [...new Set(sockets.map((s) => s.data.userId as string))];
    io.to(chatRoom(chatId)).emit(ServerEvents.chatActiveUsers, { chatId, activeUserIds: ids });
    return ids;
  };

  onEvent(socket, logger, ClientEvents.chatTyping, chatRefSchema, async ({ chatId }) => {
    const recipients = others(await core.chats.requireWritable(chatId, userId));
    clearTimeout(typing.get(chatId));
    typing.set(chatId, setTimeout(() => stopTyping(chatId).catch(() => {}), options.typingTtlMs));
    const now = Date.now();
    if (now - (told.get(chatId) ?? -Infinity) < options.typingTtlMs / 2) return;
    told.set(chatId, now);
    options.notifier.emit(recipients, ServerEvents.userTyping, { chatId, userId });
  });
  onEvent(
    socket,
    logger,
    ClientEvents.chatStopTyping,
    chatRefSchema,
    ({ chatId }) => stopTyping(chatId),
  );

  onEvent(socket, logger, ClientEvents.chatJoin, chatRefSchema, async ({ chatId }) => {
    await core.chats.requireMember(chatId, userId);
    socket.join(chatRoom(chatId));
    io.to(chatRoom(chatId)).emit(ServerEvents.userJoined, { chatId, userId });
    return { activeUserIds: await activeUsers(chatId) };
  });
  onEvent(socket, logger, ClientEvents.chatLeave, chatRefSchema, async ({ chatId }) => {
    socket.leave(chatRoom(chatId));
    io.to(chatRoom(chatId)).emit(ServerEvents.userLeft, { chatId, userId });
    return { activeUserIds: await activeUsers(chatId) };
  });

  socket.on("disconnecting", () => {
    for (const chatId of [...typing.keys()]) stopTyping(chatId).catch(() => {});
    for (const room of socket.rooms) {
      if (!room.startsWith("chat:")) continue;
      const chatId = room.slice("chat:".length);
      socket.leave(room);
      io.to(room).emit(ServerEvents.userLeft, { chatId, userId });
      activeUsers(chatId).catch(() => {});
    }
  });
}
