/**
 * Paging through a chat's messages for one member: newest first for scrolling
 * back, oldest first for a device catching up from the last seq it has, and the
 * messages changed since the last change it has seen.
 * @module
 */
import type { ChangesPage, HistoryAfterPage, HistoryPage } from "../protocol/mod.ts";
import type { MessageStore } from "./ports.ts";
import type { MembershipRecord } from "./types.ts";
import { toMessageView, type Viewer } from "./views.ts";

/** Which page to read; `afterSeq` turns the order to oldest first. */
export interface PageOptions {
  limit: number;
  beforeSeq?: number;
  afterSeq?: number;
  /** Who reads it, for the statuses they may see. */
  viewer?: Viewer;
}

/**
 * Where a member's history starts: after the seq they joined at (a member
 * added to a group sees what came after) or cleared it up to, whichever is
 * later. What they may read is another matter (`readableBy`): a message they
 * cleared is still theirs to star, quote or react to.
 */
export function historyStart(membership: MembershipRecord): number {
  return Math.max(membership.joinedSeq ?? 0, membership.clearedSeq ?? 0);
}

/**
 * Whether a member may read a message of their chat: a member added to a group
 * sees what came after they joined, not before.
 */
export function readableBy(membership: MembershipRecord, message: { seq: number }): boolean {
  return message.seq > (membership.joinedSeq ?? 0);
}

/**
 * Reads a page of the chat's messages above `startSeq` (`historyStart`),
 * whatever the cursor asks for.
 */
export async function readPage(
  messages: MessageStore,
  chatId: string,
  startSeq: number,
  options: PageOptions,
): Promise<HistoryPage | HistoryAfterPage> {
  // Read before the page, so the page shows every change up to it: a change after
  // it may be shown too, and the device then reads it again, harmlessly.
  const lastChangeSeq = await messages.lastChangeSeq(chatId);
  if (options.afterSeq !== undefined) {
    const afterSeq = Math.max(options.afterSeq, startSeq);
    // One more than asked tells whether another page follows, so a device that
    // caught up is told so without a last, empty round trip.
    const read = await messages.history(chatId, {
      afterSeq,
      beforeSeq: options.beforeSeq,
      limit: options.limit + 1,
    });
    const page = read.slice(0, options.limit);
    return {
      messages: page.map((m) => toMessageView(m, false, options.viewer)),
      nextAfterSeq: read.length > page.length ? page[page.length - 1].seq : null,
      lastChangeSeq,
    };
  }
  const { beforeSeq, limit } = options;
  const page = (await messages.history(chatId, { beforeSeq, limit }))
    .filter((m) => m.seq > startSeq);
  // Seqs have no gaps, so the oldest message says whether older ones exist.
  const oldest = page[page.length - 1];
  return {
    messages: page.map((m) => toMessageView(m, false, options.viewer)),
    nextBeforeSeq: oldest && oldest.seq > startSeq + 1 ? oldest.seq : null,
    lastChangeSeq,
  };
}

/**
 * The chat's messages changed after `afterChangeSeq`, leaving out those at or
 * below `startSeq` (`historyStart`). The cursor moves past those too, so a device does
 * not read them again.
 */
export async function readChanges(
  messages: MessageStore,
  chatId: string,
  startSeq: number,
  options: { afterChangeSeq: number; limit: number; viewer?: Viewer },
): Promise<ChangesPage> {
  // One more than asked tells whether another page follows.
  const { afterChangeSeq, limit, viewer } = options;
  const read = await messages.changes(chatId, { afterChangeSeq, limit: limit + 1 });
  const page = read.slice(0, options.limit);
  return {
    messages: page.flatMap(({ message }) =>
      message.seq > startSeq ? [toMessageView(message, false, viewer)] : []
    ),
    lastChangeSeq: page.at(-1)?.changeSeq ?? options.afterChangeSeq,
    hasMore: read.length > page.length,
  };
}
