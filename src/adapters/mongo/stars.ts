/**
 * Stars in MongoDB, one document per (user, message) under that pair as its
 * `_id`, so a repeated star returns the first; listed by their time-ordered ids.
 * @module
 */
import { MongoServerError } from "mongodb";
import type { StarStore } from "../../core/ports.ts";
import type { StarRecord } from "../../core/types.ts";
import type { Collections, StarDoc } from "./_collections.ts";

const DUPLICATE_KEY = 11000;

function toRecord({ _id, ...star }: StarDoc): StarRecord {
  return star;
}

/** The star store on MongoDB. */
export class MongoStarStore implements StarStore {
  #c: Collections;

  /** Creates the store on the collections. */
  constructor(c: Collections) {
    this.#c = c;
  }

  async add(star: StarRecord): Promise<StarRecord> {
    const _id = `${star.userId}:${star.messageId}`;
    try {
      await this.#c.stars.insertOne({ ...star, _id });
      return star;
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      const first = await this.#c.stars.findOne({ _id });
      if (!first) throw error;
      return toRecord(first);
    }
  }

  async remove(userId: string, messageId: string): Promise<void> {
    await this.#c.stars.deleteOne({ _id: `${userId}:${messageId}` });
  }

  async list(userId: string, options: { limit: number; before?: string }): Promise<StarRecord[]> {
    const filter = options.before === undefined
      ? { userId }
      : { userId, id: { $lt: options.before } };
    const docs = await this.#c.stars.find(filter).sort({ id: -1 }).limit(options.limit).toArray();
    return docs.map(toRecord);
  }

  async removeAll(userId: string): Promise<void> {
    await this.#c.stars.deleteMany({ userId });
  }
}
