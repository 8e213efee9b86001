/**
 * Ticks of one's own messages. The server sends a `message:status` per
 * recipient; a message shows "delivered" or "read" once every other member of
 * its chat got there, as the `status` of a stored message does.
 *
 * A group message loaded from history carries only that aggregate: the events
 * of members who got there earlier are gone. Its first event therefore starts
 * from the server's receipts per member, or one member's tick would wait forever
 * for members the page never heard of.
 * @module
 */
import type { MessageStatus, MessageView, ReceiptView } from "../src/sdk/mod.ts";

type Reached = "delivered" | "read";
const RANK: Record<MessageStatus, number> = { sent: 0, delivered: 1, read: 2 };

/** What each recipient reached, per message. */
export class Ticks {
  #reached = new Map<string, Map<string, Reached>>();
  #receipts: (messageId: string) => Promise<ReceiptView[]>;

  /** Creates the ticks; `receipts` asks the server where each recipient of a message stands. */
  constructor(receipts: (messageId: string) => Promise<ReceiptView[]>) {
    this.#receipts = receipts;
  }

  /** Follows a message sent from this page: every event about it will arrive here. */
  follow(messageId: string): void {
    if (!this.#reached.has(messageId)) this.#reached.set(messageId, new Map());
  }

  /**
   * Records that `userId` reached `status` for `message`, and moves the
   * message's own status on (never back) once all `recipients` are there.
   */
  async record(
    message: MessageView,
    update: { userId: string; status: Reached },
    recipients: number,
  ): Promise<void> {
    let users = this.#reached.get(message.id);
    if (!users) {
      users = new Map();
      this.#reached.set(message.id, users);
      if (recipients > 1) await this.#seed(message.id, users);
    }
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

  async #seed(messageId: string, users: Map<string, Reached>): Promise<void> {
    // Without the server's answer the tick stays where it is until a reload.
    const receipts = await this.#receipts(messageId).catch(() => []);
    for (const { userId, status } of receipts) {
      if (status !== "sent" && RANK[status] > RANK[users.get(userId) ?? "sent"]) {
        users.set(userId, status);
      }
    }
  }
}
