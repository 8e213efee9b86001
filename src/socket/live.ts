/**
 * Live chat state that only matters while sockets are connected: typing
 * indicators, and who has a chat open (`chat:join` / `chat:leave`, told by
 * `OpenChats`).
 *
 * A typing indicator expires by itself `typingTtlMs` after the last `chat:typing`,
 * so a client that vanishes mid-sentence does not leave "typing…" behind. While
 * the typist keeps going, `user:typing` is told again at most every half TTL, so
 * a device that connected meanwhile catches up within a keep-alive or two.
 * @module
 */
import type { Socket } from "socket.io";
import type { Core, Logger } from "../core/mod.ts";
import { chatRefSchema, ClientEvents, ServerEvents } from "../protocol/mod.ts";
import { onEvent } from "./ack.ts";
import type { SocketNotifier } from "./notifier.ts";
import type { OpenChats } from "./open_chats.ts";

/** Options of the live events. */
export interface LiveOptions {
  typingTtlMs: number;
  /** Reaches users' devices on every node. */
  notifier: SocketNotifier;
  /** Who has which chat open, on this node's sockets. */
  openChats: OpenChats;
}

/** Registers typing and join/leave events on a socket. */
export function registerLiveEvents(
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
    return { activeUserIds: await options.openChats.join(socket, chatId) };
  });
  onEvent(socket, logger, ClientEvents.chatLeave, chatRefSchema, async ({ chatId }) => {
    return { activeUserIds: await options.openChats.leave(socket, chatId) };
  });

  socket.on("disconnecting", () => {
    for (const chatId of [...typing.keys()]) stopTyping(chatId).catch(() => {});
    options.openChats.disconnecting(socket);
  });
}
