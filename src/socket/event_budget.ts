/**
 * A budget of client events per connection, so that one socket cannot make the
 * server work without bound: a typing indicator fans out to a chat, reads and
 * reactions write to the store, `user:reconnected` drains a backlog, and none of
 * them has a limit of its own. A token bucket: `limit` events at once, refilled
 * at `limit` per `windowMs`, so a burst (a page opening, a tab catching up)
 * passes and a sustained flood does not.
 *
 * `message:send` is left to the per-user message limit, which holds across a
 * user's devices and the nodes, and which an outbox flushing after a reconnect
 * must be able to use up without its reads and reactions being refused.
 * @module
 */
import type { Socket } from "socket.io";
import { RateLimitError } from "../core/errors.ts";
import type { Logger, Metrics } from "../core/ports.ts";
import { ClientEvents } from "../protocol/mod.ts";
import { answerError, splitAck } from "./ack.ts";

/** At most `limit` events per `windowMs` on one connection, in bursts of up to `limit`. */
export interface EventBudget {
  limit: number;
  windowMs: number;
}

/**
 * Refuses a socket's events over its budget with `rate_limited` and
 * `retryAfterMs`, before any handler runs. An event without an ack is told by
 * one `error` event per exhausted stretch, not one per event: answering a flood
 * one for one would be work the flood chose.
 */
export function limitEvents(
  socket: Socket,
  deps: { logger: Logger; metrics: Metrics },
  budget: EventBudget,
): void {
  const perMs = budget.limit / budget.windowMs;
  let tokens = budget.limit;
  let at = performance.now();
  let told = false;
  socket.use((packet, next) => {
    if (packet[0] === ClientEvents.messageSend) return next();
    const now = performance.now();
    tokens = Math.min(budget.limit, tokens + (now - at) * perMs);
    at = now;
    if (tokens >= 1) {
      tokens -= 1;
      told = false;
      return next();
    }
    deps.metrics.count("rateLimited");
    const { ack } = splitAck(packet.slice(1));
    if (!ack && told) return;
    told ||= !ack;
    const error = new RateLimitError(Math.ceil((1 - tokens) / perMs));
    answerError(socket, deps.logger, error, ack);
  });
}
