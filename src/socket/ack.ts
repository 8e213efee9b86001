/**
 * The one place where socket events meet the core: validate the payload, run the
 * handler, answer through the ack `{ ok: true, ...data }` or `{ ok: false, error }`.
 * Without an ack callback, a failure is sent as an `error` event of the same shape.
 * @module
 */
import type { Socket } from "socket.io";
import type { z } from "zod";
import { ChatError, toErrorBody, UnavailableError } from "../core/errors.ts";
import type { Logger } from "../core/ports.ts";
import { parseWith } from "../core/validate.ts";
import { ClientEvents, ServerEvents } from "../protocol/mod.ts";
import type { Draining } from "../draining.ts";

type AckFn = (answer: unknown) => void;

/** Splits socket.io's handler arguments into the payload and the optional ack callback. */
export function splitAck(args: unknown[]): { payload: unknown; ack?: AckFn } {
  const last = args[args.length - 1];
  if (typeof last === "function") {
    return { payload: args.length > 1 ? args[0] : undefined, ack: last as AckFn };
  }
  return { payload: args[0] };
}

/** Answers a failure through the ack, or as an `error` event when there is none. */
export function answerError(socket: Socket, logger: Logger, error: unknown, ack?: AckFn): void {
  if (!(error instanceof ChatError)) {
    logger.error("socket event failed", { error: String(error), stack: (error as Error)?.stack });
  }
  const answer = { ok: false, error: toErrorBody(error) };
  if (ack) ack(answer);
  else socket.emit(ServerEvents.error, answer);
}

/** Registers a handler for a client event whose payload must match `schema`. */
export function onEvent<S extends z.ZodType>(
  socket: Socket,
  logger: Logger,
  event: string,
  schema: S,
  handler: (input: z.infer<S>) => Promise<object | void>,
): void {
  socket.on(event, async (...args: unknown[]) => {
    const { payload, ack } = splitAck(args);
    try {
      const data = await handler(parseWith(schema, payload));
      ack?.({ ok: true, ...data });
    } catch (error) {
      answerError(socket, logger, error, ack);
    }
  });
}

/**
 * Counts each handled event with an ack as running until it is answered, and
 * refuses it with `unavailable` once the server is draining. Events without a
 * handler are left to the unknown-event answer, which comes before middleware.
 * `user:reconnected` is not counted: it is answered when the device caught up,
 * which a stop need not wait for, since what it has not acked stays pending.
 */
export function admitEvents(socket: Socket, logger: Logger, draining: Draining): void {
  socket.use((packet, next) => {
    const [event] = packet;
    const last = packet.length - 1;
    const ack = packet[last];
    if (typeof ack !== "function" || event === ClientEvents.userReconnected) return next();
    if (socket.listenerCount(event) === 0) return next();
    const done = draining.admit();
    if (!done) {
      return answerError(socket, logger, new UnavailableError("Server is shutting down"), ack);
    }
    packet[last] = (answer: unknown) => {
      done();
      ack(answer);
    };
    next();
  });
}
