/**
 * The Socket.IO server: handshake auth, the connection lifecycle and the client
 * events. Handlers only translate between socket events and the core.
 * @module
 */
import type { Server as HttpServer } from "node:http";
import { Server, type ServerOptions, type Socket } from "socket.io";
import { ChatError, type Core, type Logger, type MessageRecord } from "../core/mod.ts";
import type { PrometheusMetrics } from "../metrics.ts";
import {
  ClientEvents,
  deleteMessageSchema,
  editMessageSchema,
  markReadSchema,
  reactionSchema,
  sendMessageSchema,
} from "../protocol/mod.ts";
import { admitEvents, answerError, onEvent, splitAck } from "./ack.ts";
import type { Draining } from "../draining.ts";
import { registerLiveEvents } from "./live.ts";
import { OpenChats } from "./open_chats.ts";
import { checkHandshakes } from "./handshake.ts";
import { SocketChannel } from "./channel.ts";
import { enforceTokenExpiry } from "./token_expiry.ts";
import { coalesceEngineWrites } from "./coalesce.ts";
import { type EventBudget, limitEvents } from "./event_budget.ts";
import { RING_EVENT, sessionRoom, type SocketNotifier, userRoom } from "./notifier.ts";
import { z } from "zod";

/** Options of the socket server. */
export interface SocketOptions {
  notifier: SocketNotifier;
  logger: Logger;
  metrics: PrometheusMetrics;
  ackTimeoutMs: number;
  /** How often engine.io pings; a long-poll waits at most this long. */
  pingIntervalMs: number;
  /** Largest event payload; bigger frames close the connection (engine.io). */
  maxEventBytes: number;
  corsOrigin: string;
  /** How long a typing indicator lasts without a new `chat:typing`. */
  typingTtlMs: number;
  /** Client events one socket may send (`message:send` aside). */
  eventBudget: EventBudget;
  /** A Socket.IO adapter linking the nodes (Redis); the in-memory one when absent. */
  adapter?: ServerOptions["adapter"];
  /** Counts events in progress for a graceful stop, and refuses new ones during it. */
  draining: Draining;
  /** Sockets one user may hold on this node at once; the next handshake is refused. */
  maxSocketsPerUser: number;
}

/** The attached server and how to stop it cleanly. */
export interface SocketServer {
  io: Server;
  /** Disconnects every socket and waits until their disconnect work is stored. */
  close(): Promise<void>;
}

// Every client event of the protocol has a handler; anything else is answered "Unknown event".
const HANDLED = new Set<string>(Object.values(ClientEvents));

/** Attaches Socket.IO to the HTTP server, on the same port as the REST API. */
export function attachSocketServer(
  http: HttpServer,
  core: Core,
  options: SocketOptions,
): SocketServer {
  const { logger, metrics } = options;
  const io = new Server(http, {
    maxHttpBufferSize: options.maxEventBytes,
    pingInterval: options.pingIntervalMs,
    cors: { origin: options.corsOrigin },
    ...(options.adapter ? { adapter: options.adapter } : {}),
  });
  options.notifier.attach(io);
  let warned = false;
  coalesceEngineWrites(io, () => {
    if (!warned) logger.warn("cannot coalesce socket writes: engine.io internals changed");
    warned = true;
  });
  // A node of an earlier version rings with the users alone.
  io.on(RING_EVENT, (userIds: string[], messages?: MessageRecord[]) => {
    core.delivery.wakeLocal(userIds, messages);
  });
  const openChats = new OpenChats(io, core, {
    logger,
    graceMs: core.presence.graceMs,
    clustered: options.adapter !== undefined,
  });
  const lifecycle = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    lifecycle.add(work);
    work.finally(() => lifecycle.delete(work));
  };

  checkHandshakes(io, core, {
    logger,
    metrics,
    draining: options.draining,
    maxPerUser: options.maxSocketsPerUser,
  });

  io.on("connection", (socket: Socket) => {
    const userId = socket.data.userId as string;
    socket.join([userRoom(userId), sessionRoom(socket.data.sessionId as string)]);
    metrics.sockets.inc();
    // Over budget is refused before it counts as work in progress for a stop.
    limitEvents(socket, { logger, metrics }, options.eventBudget);
    admitEvents(socket, logger, options.draining);
    // Handlers are registered before any await so that no early event is missed.
    const channel = new SocketChannel(socket, options.ackTimeoutMs);
    const session = core.delivery.openSession(userId, socket.id, channel);
    let setup: Promise<unknown> = Promise.resolve();
    registerEvents(socket, core, logger, async () => {
      // First this connection's own setup (presence, first drain): then "delivered" means caught up.
      await setup;
      metrics.count("reconnects");
      return { delivered: await core.delivery.drain(session) };
    });
    enforceTokenExpiry(socket, core, logger);
    registerLiveEvents(socket, core, logger, {
      typingTtlMs: options.typingTtlMs,
      notifier: options.notifier,
      openChats,
    });
    // Presence trouble (Redis down) must not hold up delivery: log it and drain anyway.
    const online = core.presence.connect(userId, socket.id, {
      hidden: socket.data.hidePresence as boolean,
    })
      .catch((error) =>
        logger.warn("presence connect failed", { userId: userId, error: String(error) })
      )
      .then(() => logger.info("connect", { userId: userId, socketId: socket.id }));
    setup = online.then(() => core.delivery.drain(session));
    track(setup);
    socket.on("disconnect", (reason) => {
      metrics.sockets.dec();
      channel.close();
      core.delivery.closeSession(session);
      // Wait for connect's presence write, or a quick disconnect would leave the user online.
      track(
        online.then(() => core.presence.disconnect(userId, socket.id)).then(() =>
          logger.info("disconnect", { userId: userId, socketId: socket.id, reason })
        ).catch((error) => logger.error("disconnect failed", { error: String(error) })),
      );
    });
  });

  return {
    io,
    async close() {
      // The departures are told while the adapter can still ask the other nodes who stays.
      io.local.disconnectSockets(true);
      await openChats.flush();
      await io.close();
      while (lifecycle.size > 0) await Promise.allSettled([...lifecycle]);
    },
  };
}

function registerEvents(
  socket: Socket,
  core: Core,
  logger: Logger,
  reconnected: () => Promise<{ delivered: number }>,
): void {
  const userId = socket.data.userId as string;
  // This device has the ack: the user's other devices get `message:sent` and `chat:read`.
  const device = { device: socket.id };
  onEvent(socket, logger, ClientEvents.messageSend, sendMessageSchema, async (input) => ({
    message: await core.delivery.send(userId, input, device),
  }));
  onEvent(socket, logger, ClientEvents.messageMarkRead, markReadSchema, async (input) => {
    await core.delivery.markRead(userId, input, device);
  });
  onEvent(socket, logger, ClientEvents.messageEdit, editMessageSchema, async (input) => ({
    message: await core.messages.edit(userId, input.messageId, input.content),
  }));
  onEvent(socket, logger, ClientEvents.messageDelete, deleteMessageSchema, async (input) => {
    await core.messages.remove(userId, input.messageId);
  });
  onEvent(socket, logger, ClientEvents.messageReaction, reactionSchema, async (input) => ({
    reactions: await core.messages.react(userId, input.messageId, input.emoji),
  }));
  onEvent(socket, logger, ClientEvents.userReconnected, z.unknown(), reconnected);
  socket.onAny((event: string, ...args: unknown[]) => {
    if (HANDLED.has(event)) return;
    answerError(
      socket,
      logger,
      new ChatError("invalid_payload", `Unknown event ${event}`),
      splitAck(args).ack,
    );
  });
}
