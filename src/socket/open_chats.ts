/**
 * Who has a chat open (`chat:join` / `chat:leave`), and telling the chat's
 * room when that changes: `user:joined`, `user:left`, `chat:activeUsers`.
 *
 * Who has a chat open is the chat's Socket.IO room. A user is in a chat while
 * any of their devices is: another tab closing the chat is no `user:left`. A
 * device that disconnects leaves its chats after the presence grace, as
 * contacts hear `user:offline`: a page reload comes back within it, on any
 * node, and the room sees neither a `user:left` nor a second `user:joined`. A
 * user who hides their presence is neither listed nor announced: having a chat
 * open would show them online. The whole list goes to the room at once after a
 * change, then at most once per `LIST_EVERY_MS` while changes keep coming.
 *
 * Across nodes, each change asks the other nodes who has the chat open there
 * (a server-side event with an ack, through the Redis adapter), and has them
 * take back a departure of the user waiting in its grace. They answer with
 * user ids only, where `fetchSockets()` would publish every socket's handshake
 * (its token and headers) to Redis, on each change of a large group's room.
 * @module
 */
import type { Server, Socket } from "socket.io";
import { type Core, Departures, type Logger } from "../core/mod.ts";
import { ServerEvents } from "../protocol/mod.ts";
import { chatRoom } from "./notifier.ts";
import { Throttle } from "./_throttle.ts";

const PREFIX = chatRoom("");
/**
 * How often a room hears the whole list of who has it open, at most: on every
 * join of a burst (a restarted node's sockets coming back) the list went to
 * every socket of the room, members² entries per burst. A join alone is told
 * at once; the joins within this window after it, once at its end.
 */
const LIST_EVERY_MS = 250;
/** The nodes' question of who has a chat open on them (between nodes, never to clients). */
const WHO_EVENT = "openChats:who";

/**
 * A node's answer: who has the chat open on it, and whether the asking user's
 * departure from it was waiting there in its grace (now taken back: the asking
 * node tells it, if at all).
 */
interface WhoAnswer {
  userIds: string[];
  tookBack: boolean;
}

/** The chats open on this node's sockets, and the departures still in their grace. */
export class OpenChats {
  #io: Server;
  #core: Core;
  #logger: Logger;
  #clustered: boolean;
  /** Departures of disconnected devices not yet told, by chat and user. */
  #leaving: Departures<{ chatId: string; userId: string }>;
  /** The chats whose room heard its list within `LIST_EVERY_MS`, by chat id. */
  #lists = new Throttle<string>(LIST_EVERY_MS, (chatId) => this.#list(chatId));

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
    this.#leaving = new Departures(options.graceMs, (_, d) => this.#depart(d.chatId, d.userId));
    // Another node asks who has a chat open here, and takes back its user's waiting departure.
    io.on(WHO_EVENT, (q: { chatId: string; userId?: string }, reply: (a: WhoAnswer) => void) => {
      const tookBack = q.userId !== undefined &&
        this.#leaving.take(key(q.chatId, q.userId)) !== undefined;
      reply({ userIds: this.#here(chatRoom(q.chatId)), tookBack });
    });
  }

  /** The socket's user opens the chat; who has it open now. */
  async join(socket: Socket, chatId: string): Promise<string[]> {
    const userId = socket.data.userId as string;
    const room = chatRoom(chatId);
    // Back within a departure's grace, or there on another device already (on any node:
    // #tell asks the others): the room saw no change.
    const back = this.#leaving.take(key(chatId, userId)) !== undefined ||
      this.#here(room).includes(userId);
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

  /** Tells every departure still in its grace now, then the lists due: the node is stopping. */
  async flush(): Promise<void> {
    const leaving = this.#leaving.all();
    await Promise.all(leaving.map(([, { chatId, userId }]) => this.#depart(chatId, userId)));
    await this.#lists.flush();
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
   * was a change: a user leaves with their last device in the room, and joins
   * with their first, unless their departure was still waiting on another
   * node. Who hides their presence is read from the store each time, in one
   * read for the room and the user: a socket's handshake copy would miss a
   * later change.
   */
  async #tell(chatId: string, userId: string, joinOrLeave: string | null): Promise<string[]> {
    const room = chatRoom(chatId);
    const { ids, elsewhere, shown, activeUserIds } = await this.#listed(chatId, userId);
    const event = joinOrLeave === ServerEvents.userJoined && elsewhere ? null : joinOrLeave;
    if (event === ServerEvents.userLeft && ids.has(userId)) return activeUserIds;
    if (event && shown.has(userId)) this.#io.to(room).emit(event, { chatId, userId });
    if (this.#lists.now(chatId)) {
      this.#io.to(room).emit(ServerEvents.chatActiveUsers, { chatId, activeUserIds });
    }
    return activeUserIds;
  }

  /** Tells the room who has the chat open now: the last list of a burst of changes. */
  async #list(chatId: string): Promise<void> {
    try {
      const { activeUserIds } = await this.#listed(chatId);
      this.#io.to(chatRoom(chatId)).emit(ServerEvents.chatActiveUsers, { chatId, activeUserIds });
    } catch (error) {
      this.#logger.warn("cannot tell who has a chat open", { chatId, error: String(error) });
    }
  }

  /** Who has the chat open on any node, and who of them (and `userId`) shows their presence. */
  async #listed(chatId: string, userId?: string) {
    const { ids, elsewhere } = await this.#everywhere(chatId, userId);
    const shown = await this.#core.presence.shown([...new Set([...ids].concat(userId ?? []))]);
    return { ids, elsewhere, shown, activeUserIds: [...ids].filter((id) => shown.has(id)) };
  }

  /** The users with a socket of this node in `room`, each once. */
  #here(room: string): string[] {
    const nsp = this.#io.of("/");
    const socketIds = nsp.adapter.rooms.get(room) ?? [];
    return [...new Set([...socketIds].flatMap((id) => nsp.sockets.get(id)?.data.userId ?? []))];
  }

  /**
   * The users with the chat open on any node, and whether `userId` is there on
   * another node or another node took back their departure from it. A node that
   * does not answer within the adapter's time (5 s: one that died, or of an
   * earlier version during a rolling deploy) is left out, with a warning,
   * rather than failing the join.
   */
  async #everywhere(
    chatId: string,
    userId?: string,
  ): Promise<{ ids: Set<string>; elsewhere: boolean }> {
    const ids = new Set(this.#here(chatRoom(chatId)));
    if (!this.#clustered) return { ids, elsewhere: false };
    let answers: WhoAnswer[];
    try {
      answers = await this.#io.serverSideEmitWithAck(WHO_EVENT, { chatId, userId });
    } catch (error) {
      answers = (error as { responses?: WhoAnswer[] }).responses ?? [];
      this.#logger.warn("a node did not say who has a chat open", { chatId, error: String(error) });
    }
    for (const answer of answers) for (const id of answer.userIds) ids.add(id);
    const there = (a: WhoAnswer) =>
      a.tookBack || (userId !== undefined && a.userIds.includes(userId));
    return { ids, elsewhere: answers.some(there) };
  }
}

const key = (chatId: string, userId: string) => `${chatId}\n${userId}`;
