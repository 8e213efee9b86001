/// <reference lib="dom" />
/**
 * Disappearing messages on the page: a message whose `expiresAt` passed is not
 * shown, and the conversation is drawn again when the next one's time comes,
 * without waiting for the server's delete (which follows within seconds).
 * @module
 */

// setTimeout's longest wait; a later expiry is looked at again then.
const MAX_WAIT_MS = 2 ** 31 - 1;

/** Filters what expired and schedules the next redraw. */
export class Expiry {
  #redraw: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Creates the filter; `redraw` draws the conversation again. */
  constructor(redraw: () => void) {
    this.#redraw = redraw;
  }

  /** The messages still to show at `now`; the next to expire redraws then. */
  shown<T extends { expiresAt?: string }>(messages: T[], now = Date.now()): T[] {
    clearTimeout(this.#timer);
    const left = messages.filter((m) => !m.expiresAt || Date.parse(m.expiresAt) > now);
    const next = Math.min(...left.flatMap((m) => m.expiresAt ? [Date.parse(m.expiresAt)] : []));
    if (Number.isFinite(next)) {
      this.#timer = setTimeout(() => this.#redraw(), Math.min(next - now + 50, MAX_WAIT_MS));
    }
    return left;
  }
}
