/**
 * A member's own settings of a chat in Deno KV: mute, archive, pin and the
 * history cleared, each a field of the membership entry, written under a check on it.
 * @module
 */
import type { PreferenceStore } from "../../core/ports.ts";
import type { MembershipRecord, Mute } from "../../core/types.ts";
import { changeEntry, keys } from "./_util.ts";

/** The preference store on Deno KV. */
export class KvPreferenceStore implements PreferenceStore {
  #kv: Deno.Kv;

  /** Creates the store on an open KV handle. */
  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  setMuted(chatId: string, userId: string, muted?: Mute): Promise<MembershipRecord | null> {
    return this.#changeMembership(
      "mute chat",
      chatId,
      userId,
      ({ muted: _, ...rest }) => muted ? { ...rest, muted } : rest,
    );
  }

  setPinnedAt(
    chatId: string,
    userId: string,
    pinnedAt: string | undefined,
  ): Promise<MembershipRecord | null> {
    return this.#changeMembership(
      "pin chat",
      chatId,
      userId,
      ({ pinnedAt: _, ...rest }) => pinnedAt ? { ...rest, pinnedAt } : rest,
    );
  }

  setArchived(
    chatId: string,
    userId: string,
    archived: boolean,
  ): Promise<MembershipRecord | null> {
    return this.#changeMembership(
      "archive chat",
      chatId,
      userId,
      ({ archived: _, ...rest }) => archived ? { ...rest, archived: true } : rest,
    );
  }

  setMarkedUnread(
    chatId: string,
    userId: string,
    marked: boolean,
  ): Promise<MembershipRecord | null> {
    return this.#changeMembership(
      "mark chat unread",
      chatId,
      userId,
      ({ markedUnread: _, ...rest }) => marked ? { ...rest, markedUnread: true } : rest,
    );
  }

  setClearedSeq(
    chatId: string,
    userId: string,
    upToSeq: number,
  ): Promise<MembershipRecord | null> {
    return this.#changeMembership(
      "clear chat history",
      chatId,
      userId,
      (membership) =>
        (membership.clearedSeq ?? 0) >= upToSeq
          ? membership
          : { ...membership, clearedSeq: upToSeq },
    );
  }

  #changeMembership(
    what: string,
    chatId: string,
    userId: string,
    next: (membership: MembershipRecord) => MembershipRecord,
  ): Promise<MembershipRecord | null> {
    return changeEntry(this.#kv, what, keys.member(chatId, userId), next);
  }
}
