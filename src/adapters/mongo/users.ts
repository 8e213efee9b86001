/**
 * Users, friendships, blocks and revoked tokens in MongoDB.
 * @module
 */
import { type MongoClient, MongoServerError } from "mongodb";
import { ConflictError } from "../../core/errors.ts";
import type { UserBlocks, UserPatch, UserStore } from "../../core/ports.ts";
import type { ChatRecord, UserRecord } from "../../core/types.ts";
import {
  chatRecord,
  type Collections,
  directKeyOf,
  transaction,
  UNERASED,
  type UserDoc,
} from "./_collections.ts";

const DUPLICATE_KEY = 11000;

function toRecord(doc: UserDoc | null): UserRecord | null {
  if (!doc) return null;
  const { _id, usernameLower: _u, emailLower: _e, ...user } = doc;
  return user;
}

/** The user store on MongoDB. */
export class MongoUserStore implements UserStore {
  #client: MongoClient;
  #c: Collections;

  /** Creates the store on a client and its collections. */
  constructor(client: MongoClient, c: Collections) {
    this.#client = client;
    this.#c = c;
  }

  async create(user: UserRecord): Promise<void> {
    try {
      await this.#c.users.insertOne({
        ...user,
        _id: user.id,
        usernameLower: user.username.toLowerCase(),
        // The unique index needs a distinct value for an account without email (see erase).
        emailLower: user.email?.toLowerCase() ?? `\u0001${user.id}`,
      });
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) {
        throw new ConflictError("Username or email is already taken", { cause: error });
      }
      throw error;
    }
  }

  async get(id: string): Promise<UserRecord | null> {
    return toRecord(await this.#c.users.findOne({ _id: id }));
  }

  async getMany(ids: readonly string[]): Promise<UserRecord[]> {
    const docs = await this.#c.users.find({ _id: { $in: [...ids] } }).toArray();
    const byId = new Map(docs.map((d) => [d._id, toRecord(d)!]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async findByLogin(login: string): Promise<UserRecord | null> {
    const lower = login.toLowerCase();
    return toRecord(
      await this.#c.users.findOne({ $or: [{ usernameLower: lower }, { emailLower: lower }] }),
    );
  }

  async update(
    id: string,
    patch: UserPatch,
    options: { generation?: number } = {},
  ): Promise<UserRecord | null> {
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, ""> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) $unset[key] = "";
      else $set[key] = value;
    }
    const { generation } = options;
    // Generation 0 is a user whose tokens were never cut: no `tokens` field yet.
    const filter = generation === undefined
      ? { _id: id }
      : { _id: id, "tokens.current": generation === 0 ? { $in: [0, null] } : generation };
    const doc = await this.#c.users.findOneAndUpdate(filter, { $set, $unset }, {
      returnDocument: "after",
    });
    if (!doc && generation !== undefined && await this.#c.users.countDocuments({ _id: id })) {
      throw new ConflictError("Cannot update user: its tokens changed meanwhile");
    }
    return toRecord(doc);
  }

  async erase(id: string, tombstone: UserRecord): Promise<boolean> {
    // The unique indexes need a distinct value per tombstone, so the id stands in
    // for the freed logins (a login that finds a tombstone is refused anyway).
    const freed = `\u0000${id}`;
    const result = await this.#c.users.replaceOne({ _id: id }, {
      ...tombstone,
      usernameLower: freed,
      emailLower: freed,
    });
    return result.matchedCount > 0;
  }

  async listDeletions(): Promise<UserRecord[]> {
    const docs = await this.#c.users.find(UNERASED).toArray();
    return docs.map((doc) => toRecord(doc)!);
  }

  async addFriendship(a: string, b: string): Promise<void> {
    await this.#c.friends.bulkWrite([a, b].map((userId, i) => {
      const friendId = i === 0 ? b : a;
      const _id = `${userId}:${friendId}`;
      return {
        updateOne: { filter: { _id }, update: { $set: { userId, friendId } }, upsert: true },
      };
    }));
  }

  async removeFriendship(a: string, b: string): Promise<void> {
    await this.#c.friends.deleteMany({ _id: { $in: [`${a}:${b}`, `${b}:${a}`] } });
  }

  async listFriends(userId: string): Promise<string[]> {
    return (await this.#c.friends.find({ userId }).toArray()).map((f) => f.friendId);
  }

  async areFriends(a: string, b: string): Promise<boolean> {
    return (await this.#c.friends.countDocuments({ _id: `${a}:${b}` })) > 0;
  }

  setBlocked(userId: string, other: string, blocked: boolean): Promise<ChatRecord | null> {
    // One transaction: a send reads the chat in its own, so it sees the block or
    // commits before it (a write conflict retries the later one).
    return transaction(this.#client, async (session) => {
      const _id = `${userId}:${other}`;
      if (blocked) {
        await this.#c.blocks.updateOne({ _id }, { $set: { userId, blockedId: other } }, {
          upsert: true,
          session,
        });
        await this.#c.friends.deleteMany({ _id: { $in: [_id, `${other}:${userId}`] } }, {
          session,
        });
      } else await this.#c.blocks.deleteOne({ _id }, { session });
      // The filter matches only a change: blocking again counts no version in the chat.
      const directKey = directKeyOf(userId, other);
      const doc = await this.#c.chats.findOneAndUpdate(
        { directKey, blockedBy: blocked ? { $ne: userId } : userId },
        {
          ...blocked ? { $push: { blockedBy: userId } } : { $pull: { blockedBy: userId } },
          $inc: { version: 1 },
        },
        { session, returnDocument: "after" },
      ) ?? await this.#c.chats.findOne({ directKey }, { session });
      return doc ? chatRecord(doc) : null;
    });
  }

  async blocks(userId: string): Promise<UserBlocks> {
    const [blocked, blockedBy] = await Promise.all([
      this.#c.blocks.find({ userId }).toArray(),
      this.#c.blocks.find({ blockedId: userId }).toArray(),
    ]);
    return {
      blocked: blocked.map((block) => block.blockedId),
      blockedBy: blockedBy.map((block) => block.userId),
    };
  }

  async revokeToken(tokenId: string, expiresAt: Date): Promise<void> {
    await this.#c.revoked.updateOne({ _id: tokenId }, { $set: { expiresAt } }, { upsert: true });
  }

  async isTokenRevoked(tokenId: string): Promise<boolean> {
    return (await this.#c.revoked.countDocuments({ _id: tokenId })) > 0;
  }
}
