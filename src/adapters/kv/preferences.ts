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
    return this.#setField("mute chat", chatId, userId, { muted });
  }

  setPinnedAt(
    chatId: string,
    userId: string,
    pinnedAt: string | undefined,
  ): Promise<MembershipRecord | null> {
    return this.#setField("pin chat", chatId, userId, { pinnedAt });
  }

  setArchived(
    chatId: string,
    userId: string,
    archived: boolean,
  ): Promise<MembershipRecord | null> {
    return this.#setField("archive chat", chatId, userId, { archived: archived || undefined });
  }

  setMarkedUnread(
    chatId: string,
    userId: string,
    marked: boolean,
  ): Promise<MembershipRecord | null> {
    return this.#setField("mark chat unread", chatId, userId, {
      markedUnread: marked || undefined,
    });
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

  // Sets one field of the membership, or removes it when undefined, as the MongoDB
  // store's $set / $unset does.
  #setField(
    what: string,
    chatId: string,
    userId: string,
    field: Pick<MembershipRecord, "muted" | "pinnedAt" | "archived" | "markedUnread">,
  ): Promise<MembershipRecord | null> {
    const [[name, value]] = Object.entries(field) as [keyof typeof field, unknown][];
    return this.#changeMembership(what, chatId, userId, (membership) => {
      const next: MembershipRecord = { ...membership, [name]: value };
      if (value === undefined) delete next[name];
      return next;
    });
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
