/// <reference lib="dom" />
/**
 * Who is typing in the open chat, under the conversation: everyone at once, by
 * name ("Bob and Carol are typing…"). Each typist is dropped when they stop,
 * or when their indicator outlives the server's by a second (a lost "stopped
 * typing"), and all of them when another chat opens.
 * @module
 */
import { $ } from "./view.ts";

// The server's typing indicator lasts TYPING_TTL_MS (5 s by default); one lost
// "stopped typing" then shows for at most this long.
const TYPING_SHOWN_MS = 6000;
// Names shown before the rest are counted.
const NAMES_SHOWN = 2;

/** The typists of the open chat. */
export class Typing {
  #name: (userId: string) => string;
  // Typist → the timer that drops them, in the order they started.
  #typists = new Map<string, ReturnType<typeof setTimeout>>();

  /** `name` gives the name to show for a user. */
  constructor(name: (userId: string) => string) {
    this.#name = name;
  }

  /** A member of the open chat started (`typing`) or stopped typing. */
  update(userId: string, typing: boolean): void {
    clearTimeout(this.#typists.get(userId));
    // A typist told again (the server repeats it) keeps their place in the line.
    if (typing) {
      this.#typists.set(userId, setTimeout(() => this.update(userId, false), TYPING_SHOWN_MS));
    } else this.#typists.delete(userId);
    this.#render();
  }

  /** Forgets every typist (another chat opened). */
  clear(): void {
    for (const timer of this.#typists.values()) clearTimeout(timer);
    this.#typists.clear();
    this.#render();
  }

  #render() {
    const names = [...this.#typists.keys()].map(this.#name);
    const more = names.length - NAMES_SHOWN;
    const who = names.length <= NAMES_SHOWN
      ? names.join(" and ")
      : `${names.slice(0, NAMES_SHOWN).join(", ")} and ${more} more`;
    $("typing").textContent = names.length === 0
      ? ""
      : `${who} ${names.length === 1 ? "is" : "are"} typing…`;
  }
}
