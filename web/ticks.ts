/**
 * Ticks of one's own messages. The server sends a `message:status` per
 * recipient; a message shows "delivered" or "read" once every other member of
 * its chat got there, as the `status` of a stored message does.
 * @module
 */
import type { MessageStatus, MessageView } from "../src/sdk/mod.ts";

type Reached = "delivered" | "read";
const RANK: Record<MessageStatus, number> = { sent: 0, delivered: 1, read: 2 };

/** What each recipient reached, per message. */
export class Ticks {
  #reached = new Map<string, Map<string, Reached>>();

  /**
   * Records that `userId` reached `status` for `message`, and moves the
   * message's own status on (never back) once all `recipients` are there.
   */
  record(message: MessageView, update: { userId: string; status: Reached }, recipients: number) {
    let users = this.#reached.get(message.id);
    if (!users) this.#reached.set(message.id, users = new Map());
    const before = users.get(update.userId) ?? "sent";
    if (RANK[update.status] > RANK[before]) users.set(update.userId, update.status);
    const all = [...users.values()];
    const now: MessageStatus = all.length < recipients
      ? "sent"
      : all.every((s) => s === "read")
      ? "read"
      : "delivered";
    if (RANK[now] > RANK[message.status]) message.status = now;
  }
}
