/**
 * Who has a chat open (`chat:join` / `chat:leave`), and telling the chat's
 * room when that changes: `user:joined`, `user:left`, `chat:activeUsers`.
 *
 * Who has a chat open is the chat's Socket.IO room. Across nodes, each join and
 * leave asks the other nodes for the users in it (a server-side event with an
 * ack through the Redis adapter): user ids only, where `fetchSockets()` would
 * publish every socket's handshake (its token and headers) to Redis, all of
 * them on each change of a large group's room. A user is in a chat while any of their
 * devices is: another tab closing the chat is no `user:left`. A device that
 * disconnects leaves its chats after the presence grace, as contacts hear
 * `user:offline`: a page reload comes back within it, and the room sees neither
 * a `user:left` nor a second `user:joined`. A user who hides their presence is
 * neither listed nor announced: having a chat open would show them online.
 * @module
 */
import type { Server, Socket } from "socket.io";
import { type Core, Departures, type Logger } from "../core/mod.ts";
import { ServerEvents } from "../protocol/mod.ts";
import { chatRoom } from "./notifier.ts";

const PREFIX = chatRoom("");
/** The nodes' question of who has a room open on them (between nodes, never to clients). */
const WHO_EVENT = "openChats:who";

/** The chats open on this node's sockets, and the departures still in their grace. */
export class OpenChats {
  #io: Server;
  #core: Core;
  #logger: Logger;
  #clustered: boolean;
  /** Departures of disconnected devices not yet told, by chat and user. */
  #leaving: Departures<{ chatId: string; userId: string }>;

  /**
   * Tracks the chats of `io`'s sockets; `graceMs` is how long a departure waits
   * (0: none); `clustered` when a Socket.IO adapter links several nodes.
   */
  constructor(
    io: Server,
    core: Core,
    options: { logger: Logger; graceMs: number; clustered: boolean },
  ) {
    this.#io = io;
    this.#core = core;
    this.#logger = options.logger;
    this.#clustered = options.clustered;
    io.on(WHO_EVENT, (room: string, reply: (userIds: string[]) => void) => reply(this.#here(room)));
    this.#leaving = new Departures(options.graceMs, (_, d) => this.#depart(d.chatId, d.userId));
  }

  /** The socket's user opens the chat; who has it open now. */
  async join(socket: Socket, chatId: string): Promise<string[]> {
    const userId = socket.data.userId as string;
    const room = chatRoom(chatId);
    // Back within a departure's grace, or this device again: the room saw no change.
    const back = this.#leaving.take(key(chatId, userId)) !== undefined || socket.rooms.has(room);
    socket.join(room);
    return await this.#tell(chatId, userId, back ? null : ServerEvents.userJoined);
  }

  /** The socket's user closes the chat; who still has it open. */
  async leave(socket: Socket, chatId: string): Promise<string[]> {
    const userId = socket.data.userId as string;
    socket.leave(chatRoom(chatId));
    // A departure in its grace is told now, if at all: the user's last device closes it.
    this.#leaving.take(key(chatId, userId));
    return await this.#tell(chatId, userId, ServerEvents.userLeft);
  }

  /** The socket is going: its chats are left now and told once the grace has passed. */
  disconnecting(socket: Socket): void {
    const userId = socket.data.userId as string;
    for (const room of socket.rooms) {
      if (!room.startsWith(PREFIX)) continue;
      // Out of the room now, so that the grace's end does not count this socket.
      socket.leave(room);
      const chatId = room.slice(PREFIX.length);
      this.#leaving.wait(key(chatId, userId), { chatId, userId });
    }
  }

  /** Tells every departure still in its grace now: the node is stopping. */
  async flush(): Promise<void> {
    const leaving = this.#leaving.all();
    await Promise.all(leaving.map(([, { chatId, userId }]) => this.#depart(chatId, userId)));
  }

  async #depart(chatId: string, userId: string): Promise<void> {
    // Back meanwhile, or told by a flush.
    if (this.#leaving.take(key(chatId, userId)) === undefined) return;
    await this.#tell(chatId, userId, ServerEvents.userLeft).catch((error) =>
      this.#logger.warn("cannot announce user:left", { chatId, userId, error: String(error) })
    );
  }

  /**
   * Tells the room who has the chat open, after `event` for the user when there
   * was a change: a user leaves with their last device in the room. Who hides
   * their presence is read from the store each time, in one read for the room
   * and the user: a socket's handshake copy would miss a later change.
   */
  async #tell(chatId: string, userId: string, event: string | null): Promise<string[]> {
    const room = chatRoom(chatId);
    const ids = await this.#everywhere(room);
    const shown = await this.#core.presence.shown([...new Set([...ids, userId])]);
    const activeUserIds = [...ids].filter((id) => shown.has(id));
    if (event === ServerEvents.userLeft && ids.has(userId)) return activeUserIds;
    if (event && shown.has(userId)) this.#io.to(room).emit(event, { chatId, userId });
    this.#io.to(room).emit(ServerEvents.chatActiveUsers, { chatId, activeUserIds });
    return activeUserIds;
  }

  /** The users with a socket of this node in `room`, each once. */
  #here(room: string): string[] {
    const nsp = this.#io.of("/");
    const socketIds = nsp.adapter.rooms.get(room) ?? [];
    return [...new Set([...socketIds].flatMap((id) => nsp.sockets.get(id)?.data.userId ?? []))];
  }

  /** The users with a socket in `room` on any node; rejects when a node does not answer. */
  async #everywhere(room: string): Promise<Set<string>> {
    const ids = new Set(this.#here(room));
    if (!this.#clustered) return ids;
    const others: string[][] = await this.#io.serverSideEmitWithAck(WHO_EVENT, room);
    for (const userIds of others) for (const id of userIds) ids.add(id);
    return ids;
  }
}

const key = (chatId: string, userId: string) => `${chatId}\n${userId}`;
