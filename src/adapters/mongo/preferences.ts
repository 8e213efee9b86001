/**
 * A member's own settings of a chat in MongoDB: mute, archive, pin and the
 * history cleared, each a field of the membership document.
 * @module
 */
import type { PreferenceStore } from "../../core/ports.ts";
import type { MembershipRecord, Mute } from "../../core/types.ts";
import { type Collections, memberRecord } from "./_collections.ts";

/** The preference store on MongoDB. */
export class MongoPreferenceStore implements PreferenceStore {
  #c: Collections;

  /** Creates the store on the collections. */
  constructor(c: Collections) {
    this.#c = c;
  }

  setMuted(chatId: string, userId: string, muted?: Mute): Promise<MembershipRecord | null> {
    return this.#setMemberField(chatId, userId, { muted });
  }

  setPinnedAt(
    chatId: string,
    userId: string,
    pinnedAt: string | undefined,
  ): Promise<MembershipRecord | null> {
    return this.#setMemberField(chatId, userId, { pinnedAt });
  }

  setArchived(
    chatId: string,
    userId: string,
    archived: boolean,
  ): Promise<MembershipRecord | null> {
    return this.#setMemberField(chatId, userId, { archived: archived || undefined });
  }

  setMarkedUnread(
    chatId: string,
    userId: string,
    marked: boolean,
  ): Promise<MembershipRecord | null> {
    return this.#setMemberField(chatId, userId, { markedUnread: marked || undefined });
  }

  async setClearedSeq(
    chatId: string,
    userId: string,
    upToSeq: number,
  ): Promise<MembershipRecord | null> {
    // $max only ever raises it, in one update beside a send's $inc.
    const doc = await this.#c.members.findOneAndUpdate(
      { _id: `${chatId}:${userId}` },
      { $max: { clearedSeq: upToSeq } },
      { returnDocument: "after" },
    );
    return doc ? memberRecord(doc) : null;
  }

  // $set, or $unset when undefined, touches only the one field: a send's $inc
  // of ownAfterRead at the same moment is kept.
  async #setMemberField(
    chatId: string,
    userId: string,
    field: Pick<MembershipRecord, "muted" | "pinnedAt" | "archived" | "markedUnread">,
  ): Promise<MembershipRecord | null> {
    const [[name, value]] = Object.entries(field);
    const doc = await this.#c.members.findOneAndUpdate(
      { _id: `${chatId}:${userId}` },
      value === undefined ? { $unset: { [name]: "" } } : { $set: { [name]: value } },
      { returnDocument: "after" },
    );
    return doc ? memberRecord(doc) : null;
  }
}
