/**
 * Users' logins in MongoDB, one document per login, dropped by a TTL index some
 * time after its last token expired; lists leave out what is past meanwhile.
 * @module
 */
import type { SessionRecord, SessionStore } from "../../core/ports.ts";
import type { Collections, SessionDoc } from "./_collections.ts";

function toRecord({ _id, expires: _, ...session }: SessionDoc): SessionRecord {
  return session;
}

/** The session store on MongoDB. */
export class MongoSessionStore implements SessionStore {
  #c: Collections;

  /** Creates the store on the collections. */
  constructor(c: Collections) {
    this.#c = c;
  }

  async add(session: SessionRecord): Promise<void> {
    const doc = { ...session, _id: `${session.userId}:${session.id}` };
    await this.#c.sessions.insertOne({ ...doc, expires: new Date(session.expiresAt) });
  }

  async touch(
    userId: string,
    id: string,
    change: Pick<SessionRecord, "lastActiveAt"> & Partial<Pick<SessionRecord, "expiresAt">>,
  ): Promise<boolean> {
    const expiry = change.expiresAt ? { expires: new Date(change.expiresAt) } : {};
    const result = await this.#c.sessions.updateOne({ _id: `${userId}:${id}` }, {
      $set: { ...change, ...expiry },
    });
    return result.matchedCount > 0;
  }

  async list(userId: string): Promise<SessionRecord[]> {
    const docs = await this.#c.sessions.find({ userId, expires: { $gt: new Date() } }).toArray();
    return docs.map(toRecord);
  }

  async remove(userId: string, id: string): Promise<void> {
    await this.#c.sessions.deleteOne({ _id: `${userId}:${id}` });
  }
}
