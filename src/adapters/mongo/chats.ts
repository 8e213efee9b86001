/**
 * Chats and memberships in MongoDB.
 * @module
 */
import { type MongoClient, MongoServerError, type UpdateFilter } from "mongodb";
import { ConflictError } from "../../core/errors.ts";
import type { ChatStore, ChatWithMembership, GroupProfile } from "../../core/ports.ts";
import type { ChatRecord, GroupPermissions, MembershipRecord } from "../../core/types.ts";
import {
  type ChatDoc,
  chatRecord,
  type Collections,
  directKeyOf,
  memberRecord,
  transaction,
} from "./_collections.ts";
import { dropReceipts } from "./receipts.ts";
import { handOverUpdate, removeMemberUpdate } from "./_roles.ts";

const PROFILE_FIELDS = ["name", "description", "avatar"] as const;

/** The chat store on MongoDB. */
export class MongoChatStore implements ChatStore {
  #client: MongoClient;
  #c: Collections;

  /** Creates the store on a client and its collections. */
  constructor(client: MongoClient, c: Collections) {
    this.#client = client;
    this.#c = c;
  }

  async #insert(chat: ChatRecord, directKey?: string): Promise<void> {
    // Memberships first: a chat visible before its memberships would list as empty.
    await this.#c.members.insertMany(chat.participantIds.map((userId) => ({
      _id: `${chat.id}:${userId}`,
      chatId: chat.id,
      userId,
      readSeq: 0,
      ownAfterRead: 0,
    })));
    await this.#c.chats.insertOne({ ...chat, _id: chat.id, ...(directKey ? { directKey } : {}) });
  }

  async createGroup(chat: ChatRecord): Promise<ChatRecord> {
    await this.#insert(chat);
    return chat;
  }

  async createDirect(chat: ChatRecord): Promise<{ chat: ChatRecord; created: boolean }> {
    const [a, b] = chat.participantIds;
    const directKey = directKeyOf(a, b);
    const existing = await this.#c.chats.findOne({ directKey });
    if (existing) return { chat: chatRecord(existing), created: false };
    try {
      await this.#insert(chat, directKey);
      return { chat: await this.#markBlocks(chat.id, [a, b]), created: true };
    } catch (error) {
      // The unique index on directKey decides a race between the two users.
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
      await this.#c.members.deleteMany({ chatId: chat.id });
      return { chat: chatRecord((await this.#c.chats.findOne({ directKey }))!), created: false };
    }
  }

  // A block made while the chat was inserted found no chat to mark: mark it here. The
  // transaction's write on the chat conflicts with an unblock's, so neither is lost.
  #markBlocks(chatId: string, [a, b]: string[]): Promise<ChatRecord> {
    return transaction(this.#client, async (session) => {
      const blocks = await this.#c.blocks.find({ _id: { $in: [`${a}:${b}`, `${b}:${a}`] } }, {
        session,
      }).toArray();
      const doc = await this.#c.chats.findOneAndUpdate(
        { _id: chatId },
        { $set: { blockedBy: blocks.map((block) => block.userId) } },
        { session, returnDocument: "after" },
      );
      return chatRecord(doc!);
    });
  }

  async get(chatId: string): Promise<ChatRecord | null> {
    const doc = await this.#c.chats.findOne({ _id: chatId });
    return doc ? chatRecord(doc) : null;
  }

  async getMembership(chatId: string, userId: string): Promise<MembershipRecord | null> {
    const doc = await this.#c.members.findOne({ _id: `${chatId}:${userId}` });
    return doc ? memberRecord(doc) : null;
  }

  async listForUser(userId: string): Promise<ChatWithMembership[]> {
    const members = await this.#c.members.find({ userId }).toArray();
    const chats = await this.#c.chats.find({ _id: { $in: members.map((m) => m.chatId) } })
      .toArray();
    const byId = new Map(chats.map((c) => [c._id, chatRecord(c)]));
    return members.flatMap((m) => {
      const chat = byId.get(m.chatId);
      return chat ? [{ chat, membership: memberRecord(m) }] : [];
    });
  }

  async addMember(chatId: string, userId: string): Promise<ChatRecord | null> {
    const chat = await this.#c.chats.findOne({ _id: chatId });
    if (!chat || chat.participantIds.includes(userId)) return chat ? chatRecord(chat) : null;
    // The chat's lastSeq at the moment of the $addToSet is where history starts.
    const updated = await this.#c.chats.findOneAndUpdate(
      { _id: chatId },
      { $addToSet: { participantIds: userId } },
      { returnDocument: "after" },
    );
    if (!updated) return null;
    await this.#c.members.updateOne(
      { _id: `${chatId}:${userId}` },
      {
        $setOnInsert: {
          chatId,
          userId,
          joinedSeq: updated.lastSeq,
          readSeq: updated.lastSeq,
          ownAfterRead: 0,
        },
      },
      { upsert: true },
    );
    return chatRecord(updated);
  }

  async setProfile(chatId: string, profile: GroupProfile): Promise<ChatRecord | null> {
    // $set and $unset touch only these fields: a send's $inc of lastSeq at the same moment is kept.
    const set: Record<string, string> = {};
    const unset: Record<string, ""> = {};
    for (const field of PROFILE_FIELDS) {
      const value = profile[field];
      if (value === null) unset[field] = "";
      else if (value !== undefined) set[field] = value;
    }
    const update = { $set: set, $unset: unset } as UpdateFilter<ChatDoc>;
    if (Object.keys(unset).length === 0) delete update.$unset;
    if (Object.keys(set).length === 0) delete update.$set;
    const doc = await this.#c.chats.findOneAndUpdate({ _id: chatId }, update, {
      returnDocument: "after",
    });
    return doc ? chatRecord(doc) : null;
  }

  async setTimer(chatId: string, seconds: number | null): Promise<ChatRecord | null> {
    const update: UpdateFilter<ChatDoc> = seconds === null
      ? { $unset: { messageTimer: "" } }
      : { $set: { messageTimer: seconds } };
    const doc = await this.#c.chats.findOneAndUpdate({ _id: chatId }, update, {
      returnDocument: "after",
    });
    return doc ? chatRecord(doc) : null;
  }

  async setPinned(
    chatId: string,
    messageId: string,
    options: { pinned: boolean; max: number },
  ): Promise<ChatRecord | null> {
    // One update each way: a send's $inc of lastSeq at the same moment is kept.
    const doc = options.pinned
      ? await this.#c.chats.findOneAndUpdate(
        {
          _id: chatId,
          pinned: { $ne: messageId },
          [`pinned.${options.max - 1}`]: { $exists: false },
        },
        { $push: { pinned: { $each: [messageId], $position: 0 } } },
        { returnDocument: "after" },
      )
      : await this.#c.chats.findOneAndUpdate(
        { _id: chatId, pinned: messageId },
        { $pull: { pinned: messageId } },
        { returnDocument: "after" },
      );
    if (doc) return chatRecord(doc);
    // Nothing matched: no such chat, nothing to change, or no room for one more pin.
    const chat = await this.get(chatId);
    if (!chat || (chat.pinned ?? []).includes(messageId) === options.pinned) return chat;
    throw new ConflictError(`A chat has at most ${options.max} pinned messages`);
  }

  async setAdmin(chatId: string, userId: string, admin: boolean): Promise<ChatRecord | null> {
    // $push keeps the order admins were made in; the filter makes a repeat or a
    // non-participant match nothing, and nothing else of the chat is touched.
    const doc = admin
      ? await this.#c.chats.findOneAndUpdate(
        { _id: chatId, participantIds: userId, admins: { $ne: userId } },
        { $push: { admins: userId } },
        { returnDocument: "after" },
      )
      : await this.#c.chats.findOneAndUpdate(
        { _id: chatId, admins: userId },
        { $pull: { admins: userId } },
        { returnDocument: "after" },
      );
    return doc ? chatRecord(doc) : await this.get(chatId);
  }

  async setOwner(
    chatId: string,
    handover: { from: string; to: string },
  ): Promise<ChatRecord | null> {
    const doc = await this.#c.chats.findOneAndUpdate(
      { _id: chatId, participantIds: handover.to },
      handOverUpdate(handover),
      { returnDocument: "after" },
    );
    return doc ? chatRecord(doc) : await this.get(chatId);
  }

  async setPermissions(
    chatId: string,
    change: Partial<GroupPermissions>,
  ): Promise<ChatRecord | null> {
    // One path per permission: two admins setting different ones keep both.
    const paths = Object.fromEntries(
      Object.entries(change).map(([key, value]) => [`permissions.${key}`, value]),
    );
    const doc = await this.#c.chats.findOneAndUpdate({ _id: chatId }, { $set: paths }, {
      returnDocument: "after",
    });
    return doc ? chatRecord(doc) : null;
  }

  async removeMember(chatId: string, userId: string): Promise<ChatRecord | null> {
    const updated = await this.#c.chats.findOneAndUpdate(
      { _id: chatId },
      removeMemberUpdate(userId),
      { returnDocument: "after" },
    );
    await this.#c.members.deleteOne({ _id: `${chatId}:${userId}` });
    // Pending receipts are the pending index: dropping them stops delivery.
    await dropReceipts(this.#c, chatId, userId);
    return updated ? chatRecord(updated) : null;
  }
}
