/**
 * Starred messages: a member stars a message they can read, to find it again
 * later across all their chats. A star is the user's own: the sender and the
 * chat are not told, only the user's devices (`message:starred`). A star of a
 * message deleted since, or of a chat the user left, stays stored but is not
 * listed, so leaving a chat takes its messages out of reach here too.
 * @module
 */
import { ChatFeature } from "./_chat_feature.ts";
import {
  type MessageStarredEvent,
  ServerEvents,
  type StarredPage,
  type StarView,
} from "../protocol/mod.ts";
import { uuidv7 } from "./_ids.ts";
import { readableBy } from "./chats.ts";
import { ConflictError } from "./errors.ts";
import type { StoredMessage } from "./types.ts";
import { toMessageView } from "./views.ts";

/** Stars and unstars messages, and lists a user's stars. */
export class StarService extends ChatFeature {
  /**
   * Stars a message the caller can read; starring it again keeps the first
   * star. `conflict` for a deleted message.
   */
  async star(userId: string, messageId: string): Promise<StarView> {
    const { message } = await this.chats.requireMessage(messageId, userId);
    if (message.deleted) throw new ConflictError("Message was deleted");
    const now = new Date();
    const star = await this.store.stars.add({
      id: uuidv7(now.getTime()),
      userId,
      messageId,
      starredAt: now.toISOString(),
    });
    this.#tell(userId, { messageId, starred: true, starredAt: star.starredAt });
    const viewer = await this.chats.viewer(userId);
    return { message: toMessageView(message, false, viewer), starredAt: star.starredAt };
  }

  /**
   * Unstars a message; idempotent, and open to a star the user can no longer
   * see (a chat they left): it is theirs to drop.
   */
  async unstar(userId: string, messageId: string): Promise<void> {
    await this.store.stars.remove(userId, messageId);
    this.#tell(userId, { messageId, starred: false });
  }

  /** A page of the user's stars, the latest first, of messages they can still read. */
  async list(userId: string, options: { limit: number; cursor?: string }): Promise<StarredPage> {
    const stars = await this.store.stars.list(userId, {
      limit: options.limit,
      before: options.cursor,
    });
    const messages = await Promise.all(stars.map((s) => this.store.messages.get(s.messageId)));
    const [readable, viewer] = await Promise.all([
      this.#readable(userId, messages),
      this.chats.viewer(userId),
    ]);
    const views = stars.flatMap((star, i) => {
      const message = messages[i];
      return message && readable.has(message.id)
        ? [{ message: toMessageView(message, false, viewer), starredAt: star.starredAt }]
        : [];
    });
    // A full page from the store may have more behind it, even when some were left out.
    const nextCursor = stars.length === options.limit ? stars.at(-1)!.id : null;
    return { stars: views, nextCursor };
  }

  // The ids of the messages the user may read now: not deleted, in a chat they
  // are still in, from after they joined it. One membership read per chat.
  async #readable(
    userId: string,
    messages: (StoredMessage | null)[],
  ): Promise<Set<string>> {
    const chatIds = [...new Set(messages.flatMap((m) => m ? [m.chatId] : []))];
    const memberships = new Map(
      await Promise.all(
        chatIds.map(async (id) => [id, await this.store.chats.getMembership(id, userId)] as const),
      ),
    );
    return new Set(messages.flatMap((m) => {
      const membership = m && memberships.get(m.chatId);
      return m && !m.deleted && membership && readableBy(membership, m) ? [m.id] : [];
    }));
  }

  #tell(userId: string, event: MessageStarredEvent): void {
    this.notifier.emit([userId], ServerEvents.messageStarred, event);
  }
}
