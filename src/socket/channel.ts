/**
 * A device channel on one socket: emits `message:received` and waits for the
 * client's ack. The timers are ours rather than socket.io's `.timeout()`, so a
 * disconnect can settle every wait at once instead of leaving them to run out.
 * @module
 */
import type { Socket } from "socket.io";
import type { DeviceChannel } from "../core/mod.ts";
import type { MessageView } from "../protocol/mod.ts";
import { ServerEvents } from "../protocol/mod.ts";

interface Waiting {
  timer: ReturnType<typeof setTimeout>;
  resolve: (acked: boolean) => void;
}

/** Delivers messages to one socket with an ack timeout. */
export class SocketChannel implements DeviceChannel {
  #socket: Socket;
  #timeoutMs: number;
  #waiting = new Set<Waiting>();
  #closed = false;

  /** Creates a channel on a connected socket. */
  constructor(socket: Socket, timeoutMs: number) {
    this.#socket = socket;
    this.#timeoutMs = timeoutMs;
  }

  deliver(message: MessageView): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiting: Waiting = {
        timer: setTimeout(() => this.#settle(waiting, false), this.#timeoutMs),
        resolve,
      };
      this.#waiting.add(waiting);
      this.#socket.emit(ServerEvents.messageReceived, message, () => this.#settle(waiting, true));
    });
  }

  /** Settles every wait as not acknowledged: the messages stay pending. */
  close(): void {
    this.#closed = true;
    for (const waiting of [...this.#waiting]) this.#settle(waiting, false);
  }

  #settle(waiting: Waiting, acked: boolean): void {
    if (!this.#waiting.delete(waiting)) return;
    clearTimeout(waiting.timer);
    waiting.resolve(acked);
  }
}
