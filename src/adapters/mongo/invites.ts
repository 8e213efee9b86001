/**
 * Groups' invite links in MongoDB: one document per group under its chat id,
 * replaced whole by a new invite, with a unique index on the code to find it.
 * @module
 */
import type { InviteStore } from "../../core/ports.ts";
import type { InviteRecord } from "../../core/types.ts";
import type { Collections, InviteDoc } from "./_collections.ts";

function toRecord({ _id, ...invite }: InviteDoc): InviteRecord {
  return invite;
}

/** The invite store on MongoDB. */
export class MongoInviteStore implements InviteStore {
  #c: Collections;

  /** Creates the store on the collections. */
  constructor(c: Collections) {
    this.#c = c;
  }

  async put(invite: InviteRecord): Promise<void> {
    // One document per group: replacing it drops the old code in the same write.
    await this.#c.invites.replaceOne({ _id: invite.chatId }, invite, { upsert: true });
  }

  async get(chatId: string): Promise<InviteRecord | null> {
    const doc = await this.#c.invites.findOne({ _id: chatId });
    return doc ? toRecord(doc) : null;
  }

  async find(code: string): Promise<InviteRecord | null> {
    const doc = await this.#c.invites.findOne({ code });
    return doc ? toRecord(doc) : null;
  }

  async remove(chatId: string): Promise<void> {
    await this.#c.invites.deleteOne({ _id: chatId });
  }
}
