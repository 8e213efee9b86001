/**
 * The messages offered to a delivery session while it was busy or out of step
 * (`DeliverySession.offer`), kept for the backlog pass the offer kicked. The
 * backlog lacks a message another device of the user acknowledged first, so the
 * pass takes each of these in its place: before the first later message of its
 * chat that it reads, or at its end.
 * @module
 */
import type { MessageRecord } from "./types.ts";

/** Offered messages awaiting a session's pass, at most `max` of them. */
export class OfferedMessages {
  #byId = new Map<string, MessageRecord>();
  #max: number;

  /** Keeps at most `max` messages: past them, a device far behind has the backlog alone. */
  constructor(max: number) {
    this.#max = max;
  }

  /** Keeps a message for the next pass, while there is room. */
  keep(message: MessageRecord): void {
    if (this.#byId.size < this.#max) this.#byId.set(message.id, message);
  }

  /** Takes out the messages of the chat of `next` that come before it, in seq order. */
  before(next: MessageRecord): MessageRecord[] {
    this.#byId.delete(next.id);
    if (this.#byId.size === 0) return [];
    const before = [...this.#byId.values()]
      .filter((m) => m.chatId === next.chatId && m.seq < next.seq);
    for (const message of before) this.#byId.delete(message.id);
    return before.sort((x, y) => x.seq - y.seq);
  }

  /** Forgets them all (the session closed). */
  clear(): void {
    this.#byId.clear();
  }

  /** Takes out the rest, in (chat, seq) order. */
  rest(): MessageRecord[] {
    const rest = [...this.#byId.values()];
    this.#byId.clear();
    return rest.sort((x, y) => x.chatId.localeCompare(y.chatId) || x.seq - y.seq);
  }
}
