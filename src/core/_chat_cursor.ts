/**
 * The chat list's paging: chats the user pinned come first, the latest pinned
 * first, then the others by last activity; a page's cursor is the sort key of
 * its last chat, opaque to clients.
 * @module
 */
import type { ChatRecord, MembershipRecord } from "./types.ts";
import { ValidationError } from "./errors.ts";

/**
 * Sort key of the chat list, greatest first: pinned ("1" and the pin's time)
 * before the rest ("0"), then activity time, then id, so chats of the same time
 * keep their order.
 */
export function sortKey(chat: ChatRecord, membership: MembershipRecord): string {
  const pin = membership.pinnedAt ? `1${membership.pinnedAt}` : "0";
  return `${pin}|${chat.lastActivityAt}|${chat.id}`;
}

/**
 * The page of a user's chats after `cursor` (from the first without), in list
 * order, with the cursor of the next page (null on the last).
 */
export function pageOf<T extends { chat: ChatRecord; membership: MembershipRecord }>(
  entries: T[],
  options: { limit: number; cursor?: string },
): { page: T[]; nextCursor: string | null } {
  const after = options.cursor ? decodeCursor(options.cursor) : undefined;
  const all = entries
    .map((entry) => ({ entry, key: sortKey(entry.chat, entry.membership) }))
    .filter(({ key }) => after === undefined || key < after)
    .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
  const page = all.slice(0, options.limit);
  const more = all.length > page.length;
  return {
    page: page.map(({ entry }) => entry),
    nextCursor: more ? encodeCursor(page[page.length - 1].key) : null,
  };
}

// The opaque cursor of a page that ends at `key`.
function encodeCursor(key: string): string {
  return btoa(key).replaceAll("=", "");
}

// The sort key a cursor holds; `ValidationError` when it is not one of ours.
function decodeCursor(cursor: string): string {
  try {
    return atob(cursor);
  } catch (cause) {
    throw new ValidationError("Invalid cursor", { cause });
  }
}
