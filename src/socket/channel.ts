/**
 * A device channel on one socket: emits `message:received` and waits for the
 * client's ack. The timer is ours rather than socket.io's `.timeout()`, so a
 * disconnect can settle every wait at once instead of leaving them to run out.
 * @module
 */
import type { Socket } from "socket.io";
import type { DeviceChannel } from "../core/mod.ts";
import type { MessageView } from "../protocol/mod.ts";
import { ServerEvents } from "../protocol/mod.ts";

interface Waiting {
  /** performance.now() after which the wait has timed out. */
  deadline: number;
  resolve: (acked: boolean) => void;
}

/**
 * Delivers messages to one socket with an ack timeout. Every wait has the same
 * timeout, so they expire in the order they began: one timer, armed for the
 * oldest wait, serves them all. A timer per message (set and cleared for each)
 * was a visible cost of a backlog drain, which emits thousands a second.
 */
export class SocketChannel implements DeviceChannel {
  #socket: Socket;
  #timeoutMs: number;
  /** In the order they began, which is the order they expire. */
  #waiting = new Set<Waiting>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  /** Creates a channel on a connected socket. */
  constructor(socket: Socket, timeoutMs: number) {
    this.#socket = socket;
    this.#timeoutMs = timeoutMs;
  }

  deliver(message: MessageView): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiting: Waiting = { deadline: performance.now() + this.#timeoutMs, resolve };
      this.#waiting.add(waiting);
      this.#timer ??= setTimeout(() => this.#expire(), this.#timeoutMs);
      this.#socket.emit(ServerEvents.messageReceived, message, () => this.#settle(waiting, true));
    });
  }

  /** Settles every wait as not acknowledged: the messages stay pending. */
  close(): void {
    this.#closed = true;
    for (const waiting of [...this.#waiting]) this.#settle(waiting, false);
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  // Times out the waits whose deadline passed, then sleeps until the next one's.
  #expire(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (const waiting of this.#waiting) {
      if (waiting.deadline > now) {
        this.#timer = setTimeout(() => this.#expire(), waiting.deadline - now);
        return;
      }
      this.#settle(waiting, false);
    }
  }

  #settle(waiting: Waiting, acked: boolean): void {
    if (!this.#waiting.delete(waiting)) return;
    waiting.resolve(acked);
  }
}
