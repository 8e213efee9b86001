/**
 * The core's notifier on Socket.IO: one room per user (`user:<id>`) reaches all
 * of that user's devices, one room per login session (`session:<sid>`) lets logout
 * drop the session's sockets.
 * @module
 */
import type { Server } from "socket.io";
import type { MessageRecord, Notifier } from "../core/mod.ts";
import type { ServerEvent } from "../protocol/mod.ts";

/** Room of all devices of a user. */
export const userRoom = (userId: string): string => `user:${userId}`;
/** Room of the sockets that joined a chat's live view (`chat:join`). */
export const chatRoom = (chatId: string): string => `chat:${chatId}`;
/** Room of the sockets that authenticated with a token of one login session. */
export const sessionRoom = (sessionId: string): string => `session:${sessionId}`;

/** The server-side event that wakes sessions on the other nodes. */
export const RING_EVENT = "chat:ring";
/** The server-side event that carries a turn's emits to the other nodes. */
export const EMITS_EVENT = "chat:emits";

/** A ring: users whose sessions should read their backlog, and the messages just stored. */
interface Ring {
  userIds: readonly string[];
  messages?: readonly MessageRecord[];
}

/** One emit to users' rooms, as it crosses to other nodes. */
type Emit = [rooms: string[], event: ServerEvent, payload: unknown];

/** A notifier that emits through a Socket.IO server attached after construction. */
export class SocketNotifier implements Notifier {
  #io: Server | null = null;
  #clustered: boolean;
  /** Users to ring and the messages just stored, gathered until the end of this turn. */
  #ringing = perTurn<Ring>((rings) => {
    const userIds = [...new Set(rings.flatMap((ring) => ring.userIds))];
    const messages = rings.flatMap((ring) => ring.messages ?? []);
    // The messages as a second argument, which a node of an earlier version leaves unread.
    this.#io?.serverSideEmit(RING_EVENT, userIds, ...(messages.length > 0 ? [messages] : []));
  });
  /** Emits for the other nodes, sent together at the end of this turn, in order. */
  #outbox = perTurn<Emit>((emits) => this.#io?.serverSideEmit(EMITS_EVENT, emits));

  /** Creates the notifier; `clustered` when a Socket.IO adapter links several nodes. */
  constructor(options: { clustered: boolean }) {
    this.#clustered = options.clustered;
  }

  /** Binds the notifier to the server it emits through, and to other nodes' emits. */
  attach(io: Server): void {
    this.#io = io;
    io.on(EMITS_EVENT, (emits: Emit[]) => {
      for (const [rooms, event, payload] of emits) io.local.to(rooms).emit(event, payload);
    });
  }

  /**
   * Emits to every device of these users. With several nodes, this node's
   * sockets get it at once and the other nodes get the turn's emits together, in
   * order, in one server-side event: a broadcast through the Redis adapter is a
   * publish each, and the ticks of a busy node (one per message) were most of them.
   */
  emit(
    userIds: readonly string[],
    event: ServerEvent,
    payload: unknown,
    options: { except?: string } = {},
  ): void {
    const io = this.#io;
    if (!io || userIds.length === 0) return;
    const rooms = userIds.map(userRoom);
    const { except } = options;
    // Socket.IO encodes a broadcast before it looks for sockets: a tick to a sender
    // who is offline (each message of a drain), or the copy of a send for the other
    // devices of a sender who has none, cost a JSON encoding for no one.
    const here = io.sockets.adapter.rooms;
    const reaches = (room: string) => {
      const sockets = here.get(room);
      if (!sockets) return false;
      return except === undefined || sockets.size > 1 || !sockets.has(except);
    };
    if (rooms.some(reaches)) {
      // No except() when none is left out: it copies the operator, and ticks come per message.
      const to = io.local.to(rooms);
      (except === undefined ? to : to.except(except)).emit(event, payload);
    }
    // The device to leave out is a socket of this node: the others reach all of theirs.
    if (this.#clustered) this.#outbox([rooms, event, payload]);
  }

  /**
   * Tells the other nodes to wake these users' sessions (this node's are woken by
   * the core), and hands them the `messages` just stored. The rings of one turn go
   * out as one: a group commit stores dozens of sends at once, and a publish each
   * was half of the Redis adapter's traffic.
   */
  ring(userIds: readonly string[], messages?: readonly MessageRecord[]): void {
    if (this.#clustered && userIds.length > 0) this.#ringing({ userIds, messages });
  }

  leaveChat(userId: string, chatId: string): void {
    this.#io?.in(userRoom(userId)).socketsLeave(chatRoom(chatId));
  }

  endSession(sessionId: string): void {
    this.#io?.in(sessionRoom(sessionId)).disconnectSockets(true);
  }

  endUserSessions(userId: string, options: { except?: string } = {}): void {
    const sockets = this.#io?.in(userRoom(userId));
    const kept = options.except === undefined ? [] : [sessionRoom(options.except)];
    sockets?.except(kept).disconnectSockets(true);
  }
}

/** Gathers items during one turn of the event loop and hands them to `flush` at its end. */
function perTurn<T>(flush: (items: T[]) => void): (item: T) => void {
  let items: T[] = [];
  return (item) => {
    if (items.length === 0) {
      setImmediate(() => {
        const batch = items;
        items = [];
        flush(batch);
      });
    }
    items.push(item);
  };
}
