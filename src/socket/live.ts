/**
 * Live chat state that only matters while sockets are connected: typing
 * indicators, and who has a chat open (`chat:join` / `chat:leave`).
 *
 * A typing indicator expires by itself `typingTtlMs` after the last `chat:typing`,
 * so a client that vanishes mid-sentence does not leave "typing…" behind. While
 * the typist keeps going, `user:typing` is told again at most every half TTL, so
 * a device that connected meanwhile catches up within a keep-alive or two.
 * Who has a chat open is the chat's Socket.IO room; with the Redis adapter
 * `fetchSockets()` answers across nodes. A user who hides their presence is
 * neither listed nor announced there: having a chat open would show them online.
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
  // Tells the room who has the chat open, after `event` (the caller joined or left)
  // when given; those who hide their presence are neither listed nor announced.
  // Their setting is read from the store each time, in one read for the room and
  // the caller: a socket's handshake copy would miss a later change.
  const tellRoom = async (chatId: string, event: string) => {
    const room = chatRoom(chatId);
    const ids = [...new Set((await io.in(room).fetchSockets()).map((s) => s.data.userId))];
    const shown = await core.presence.shown([...new Set([...ids, userId])]);
    if (shown.has(userId)) io.to(room).emit(event, { chatId, userId });
    const activeUserIds = ids.filter((id) => shown.has(id));
    io.to(room).emit(ServerEvents.chatActiveUsers, { chatId, activeUserIds });
    return activeUserIds;
  };

  onEvent(socket, logger, ClientEvents.chatTyping, chatRefSchema, async ({ chatId }) => {
    const recipients = others((await core.chats.requireWritable(chatId, userId)).chat);
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
    return { activeUserIds: await tellRoom(chatId, ServerEvents.userJoined) };
  });
  onEvent(socket, logger, ClientEvents.chatLeave, chatRefSchema, async ({ chatId }) => {
    socket.leave(chatRoom(chatId));
    return { activeUserIds: await tellRoom(chatId, ServerEvents.userLeft) };
  });

  socket.on("disconnecting", () => {
    for (const chatId of [...typing.keys()]) stopTyping(chatId).catch(() => {});
    for (const room of socket.rooms) {
      if (!room.startsWith("chat:")) continue;
      const chatId = room.slice("chat:".length);
      socket.leave(room);
      tellRoom(chatId, ServerEvents.userLeft).catch(() => {});
    }
  });
}
