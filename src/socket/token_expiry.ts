/**
 * A connected socket lives no longer than its token. At the token's expiry
 * (which a login's max age already caps) the server emits `auth:expired` and
 * disconnects the socket, so the end of a token, or of a login, holds for open
 * sockets too and not only at their next handshake. A client keeps its socket
 * by handing it a newer token before then with `auth:renew`: one from
 * `POST /api/auth/refresh`, or from a new login of the same user.
 *
 * A logout stored while a socket's token was being checked (at its handshake or
 * its renewal) disconnected the login's room before the socket joined it. Once
 * in the room, the socket has its token checked again: of the two, one sees the other.
 * @module
 */
import type { Socket } from "socket.io";
import { AccessError, ChatError, type Core, type Logger } from "../core/mod.ts";
import { ClientEvents, renewTokenSchema, ServerEvents } from "../protocol/mod.ts";
import { onEvent } from "./ack.ts";
import { sessionRoom } from "./notifier.ts";

// setTimeout fires at once beyond 2^31 - 1 ms (24.8 days): longer waits go in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Disconnects `socket` when its token expires (`socket.data.expiresAt`, ms) and
 * handles `auth:renew`, which moves that moment to a newer token's expiry.
 */
export function enforceTokenExpiry(socket: Socket, core: Core, logger: Logger): void {
  const userId = socket.data.userId as string;
  let timer: ReturnType<typeof setTimeout> | undefined;

  // Checks the clock on each wake-up: a long wait runs in steps, and a renew re-arms it.
  const arm = () => {
    clearTimeout(timer);
    const expiresAt = socket.data.expiresAt as number;
    const left = expiresAt - Date.now();
    if (left > 0) {
      timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
      return;
    }
    socket.emit(ServerEvents.authExpired, { expiredAt: new Date(expiresAt).toISOString() });
    logger.info("token expired", { userId, socketId: socket.id });
    socket.disconnect(true);
  };
  arm();
  socket.on("disconnect", () => clearTimeout(timer));
  checkAgain(socket, core, logger, socket.handshake.auth?.token);

  onEvent(socket, logger, ClientEvents.authRenew, renewTokenSchema, async ({ token }) => {
    const { user, claims } = await core.auth.authenticate(token);
    if (user.id !== userId) {
      throw new AccessError("forbidden", "Cannot renew with another user's token");
    }
    // A token of another login of the same user: the socket now ends with that login's logout.
    const sessionId = socket.data.sessionId as string;
    if (claims.sid !== sessionId) {
      socket.leave(sessionRoom(sessionId));
      socket.join(sessionRoom(claims.sid));
      socket.data.sessionId = claims.sid;
      checkAgain(socket, core, logger, token);
    }
    socket.data.expiresAt = claims.exp * 1000;
    if (socket.connected) arm();
    return { expiresAt: new Date(claims.exp * 1000).toISOString() };
  });
}

// Disconnects the socket if its token no longer holds, now that it is in its login's room.
function checkAgain(socket: Socket, core: Core, logger: Logger, token: string): void {
  core.auth.authenticate(token).catch((error) => {
    if (error instanceof ChatError && error.code === "unauthorized") return socket.disconnect(true);
    logger.warn("token check after joining failed", { error: String(error) });
  });
}
