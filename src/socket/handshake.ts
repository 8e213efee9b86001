/**
 * Who may open a socket: the handshake checks the token, and counts the user's
 * sockets on this node. A refusal is a `connect_error` whose message is the
 * protocol code: `unauthorized` (the client needs a new token), `unavailable`
 * (this node is stopping, or the store did not answer) or `rate_limited` (the
 * user holds `maxPerUser` sockets here already).
 * @module
 */
import type { Server } from "socket.io";
import { ChatError, type Core, type Logger } from "../core/mod.ts";
import type { Metrics } from "../core/ports.ts";
import type { Draining } from "../draining.ts";

/** Options of the handshake. */
export interface HandshakeOptions {
  logger: Logger;
  metrics: Metrics;
  /** Refuses new sockets once a graceful stop began. */
  draining: Draining;
  /** Sockets one user may hold on this node at once. */
  maxPerUser: number;
}

/**
 * Each user's open sockets on this node. Every socket costs the node a delivery
 * session, presence entries and engine.io's buffers (about 20 KB idle, measured by
 * the benchmark), so one account, a leaked token or a client that opens a socket
 * on each retry and never closes the last, could otherwise fill the node's memory.
 * Counted per node, as Centrifugo's `user_connection_limit` is: the memory it
 * guards is the node's, and the count needs no shared store.
 */
export class UserSockets {
  #max: number;
  #count = new Map<string, number>();

  /** Allows `maxPerUser` sockets per user. */
  constructor(maxPerUser: number) {
    this.#max = maxPerUser;
  }

  /** Takes a place for one socket; null when the user holds every place. Release it once. */
  take(userId: string): (() => void) | null {
    const count = this.#count.get(userId) ?? 0;
    if (count >= this.#max) return null;
    this.#count.set(userId, count + 1);
    return () => {
      const left = this.#count.get(userId)! - 1;
      if (left === 0) this.#count.delete(userId);
      else this.#count.set(userId, left);
    };
  }
}

/** Authenticates every handshake and holds each user to their sockets on this node. */
export function checkHandshakes(io: Server, core: Core, options: HandshakeOptions): void {
  const { logger, metrics, draining } = options;
  const sockets = new UserSockets(options.maxPerUser);
  io.use(async (socket, next) => {
    // A stopping node takes no new sockets: the client's reconnect finds another node.
    if (draining.draining) return next(new Error("unavailable"));
    let user, claims;
    try {
      ({ user, claims } = await core.auth.authenticate(socket.handshake.auth?.token));
    } catch (error) {
      const unauthorized = error instanceof ChatError && error.code === "unauthorized";
      if (!unauthorized) logger.error("handshake failed", { error: String(error) });
      return next(new Error(unauthorized ? "unauthorized" : "unavailable"));
    }
    // Gone while its token was checked: Socket.IO drops it, and a place taken now
    // would never be given back (its connection's close has already fired).
    if (socket.conn.readyState !== "open") return next(new Error("unavailable"));
    const release = sockets.take(user.id);
    if (!release) {
      metrics.count("rateLimited");
      logger.info("socket refused: too many sockets", { userId: user.id, max: options.maxPerUser });
      return next(new Error("rate_limited"));
    }
    // The connection's close, not the socket's disconnect: a client that leaves between
    // this check and Socket.IO's own never connects, so it never disconnects either. The
    // server ends sockets only with their connection (`disconnect(true)`).
    socket.conn.once("close", release);
    // A socket connecting is the login's latest activity (its list shows it); not awaited.
    core.sessions.seen(claims, socket.handshake.headers["user-agent"]);
    // Small values only: they live as long as the socket, on every one of them.
    socket.data.userId = user.id;
    socket.data.sessionId = claims.sid;
    socket.data.expiresAt = claims.exp * 1000;
    // Read here with the user already: the presence of the first device needs it.
    socket.data.hidePresence = user.hidePresence === true;
    next();
  });
}
