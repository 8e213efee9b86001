/**
 * When a client's socket comes back: socket.io-client reconnects by itself after
 * a dropped connection, but not after the server ended it or refused the
 * handshake. This decides those cases, and reports the connection's state.
 * @module
 */
import type { Socket } from "socket.io-client";
import { ClientEvents } from "../protocol/events.ts";
import { call } from "./_call.ts";
import type { Emitter } from "./_emitter.ts";
import { ChatClientError } from "./errors.ts";
import type { ChatClientEvents } from "./events.ts";

// Answers to `auth:renew` that say the token itself is no good.
const REFUSED = new Set(["unauthorized", "forbidden"]);

/** The lifecycle of one client's socket: reports it and reconnects where socket.io-client won't. */
export class Connection {
  #socket: Socket;
  #events: Emitter<ChatClientEvents>;
  #closed = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  /** Handshakes refused but for the token since the last connect: the retry's backoff. */
  #refusals = 0;
  /** The last handshake was refused (bad, expired or revoked token). */
  #refused = false;

  /** Follows `socket`; `connected` runs on every connect (the outbox flushes then). */
  constructor(socket: Socket, events: Emitter<ChatClientEvents>, connected: () => void) {
    this.#socket = socket;
    this.#events = events;
    socket.on("connect", () => {
      this.#refusals = 0;
      events.notify("connection", "connected");
      connected();
    });
    socket.on("disconnect", (reason) => {
      events.notify("connection", "disconnected");
      // The server ended the connection (its token expired, or its login was logged out):
      // socket.io-client does not come back by itself, so try once with the current token.
      if (reason === "io server disconnect" && !this.#closed) socket.connect();
    });
    socket.on("connect_error", (error) => this.#failed(error));
  }

  /**
   * Uses a new token: a connected socket renews with it (`auth:renew`); a
   * socket whose handshake was refused tries again with it; otherwise it is
   * used from the next reconnect on. A renewal the server refuses rejects, and
   * keeps the token that works.
   */
  async setToken(token: string, ackTimeoutMs: number): Promise<void> {
    const previous = this.#socket.auth;
    this.#socket.auth = { token };
    if (!this.#socket.connected) {
      if (!this.#refused || this.#closed) return;
      this.#refused = false;
      this.#socket.connect();
      return;
    }
    try {
      await call(this.#socket, ackTimeoutMs, ClientEvents.authRenew, { token });
    } catch (error) {
      // A token the server refused would fail the next handshake too: keep the one that works,
      // unless a newer one was set meanwhile.
      const refused = error instanceof ChatClientError && REFUSED.has(error.code);
      if (refused && (this.#socket.auth as { token?: string }).token === token) {
        this.#socket.auth = previous;
      }
      throw error;
    }
  }

  /** Stops coming back, for good. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
  }

  #failed(error: Error): void {
    // A refused handshake is not retried by socket.io-client: `setToken()` reconnects.
    this.#refused = error.message === "unauthorized";
    if (this.#refused) return this.#events.notify("connection", "unauthorized");
    // Refused for another reason (`unavailable`: the node is stopping; `rate_limited`: the
    // user's other sockets fill the node), socket.io-client would give up too: come back
    // with its backoff, to this node or another. The app can say why it waits meanwhile;
    // a server out of reach (a transport error) is "disconnected", also before a first connect.
    const { message } = error;
    const refusal = message === "unavailable" || message === "rate_limited";
    this.#events.notify("connection", refusal ? message : "disconnected");
    if (!this.#socket.active && !this.#closed) {
      clearTimeout(this.#retry);
      this.#retry = setTimeout(() => this.#closed || this.#socket.connect(), this.#backoff());
    }
  }

  /**
   * The wait before the next try after a refusal not for the token: socket.io's own
   * reconnection delays, doubling up to their maximum, with their jitter, so that
   * clients refused by a node whose store is down neither hammer it nor come
   * back all at once.
   */
  #backoff(): number {
    const manager = this.#socket.io;
    const delay = Math.min(
      manager.reconnectionDelayMax(),
      manager.reconnectionDelay() * 2 ** this.#refusals++,
    );
    return delay * (1 + manager.randomizationFactor() * (Math.random() * 2 - 1));
  }
}
