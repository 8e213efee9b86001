/**
 * The delivery sessions this node runs, by user: a device connected here has
 * one. A send offers its message to the recipients' sessions here directly (the
 * other nodes' sessions hear of it through a ring), and a user with a session
 * here is known to be online without asking presence.
 * @module
 */
import type { DeliverySession } from "./session.ts";
import type { MessageRecord } from "./types.ts";

/** This node's delivery sessions, by user. */
export class LocalSessions {
  #byUser = new Map<string, Set<DeliverySession>>();

  /** Whether the user has a device connected to this node. */
  has(userId: string): boolean {
    return this.#byUser.has(userId);
  }

  /** Adds a session just opened. */
  add(session: DeliverySession): void {
    let set = this.#byUser.get(session.userId);
    if (!set) this.#byUser.set(session.userId, set = new Set());
    set.add(session);
  }

  /** Removes a closed session; true when it was its user's last one here. */
  remove(session: DeliverySession): boolean {
    const set = this.#byUser.get(session.userId);
    set?.delete(session);
    if (set?.size !== 0) return false;
    this.#byUser.delete(session.userId);
    return true;
  }

  /**
   * Gives a stored message to the recipients' sessions, which mostly skip a
   * backlog read for it, and to the sender's other sessions (their own count).
   */
  offer(message: MessageRecord): void {
    for (const id of message.recipientIds) {
      for (const session of this.#byUser.get(id) ?? []) session.offer(message);
    }
    for (const session of this.#byUser.get(message.senderId) ?? []) session.passOwn(message);
  }

  /** Wakes these users' sessions to read their backlog; all of them when none are named. */
  kick(userIds?: readonly string[]): void {
    const sets = userIds ? userIds.map((id) => this.#byUser.get(id)) : this.#byUser.values();
    for (const set of sets) for (const session of set ?? []) session.kick();
  }
}
