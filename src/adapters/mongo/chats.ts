/**
 * Chats and memberships in MongoDB.
 * @module
 */
import { type MongoClient, MongoServerError } from "mongodb";
import { ConflictError, groupFullError } from "../../core/errors.ts";
import type { AddedMember, ChatStore, ChatWithMembership, GroupProfile } from "../../core/ports.ts";
import type { ChatRecord, GroupPermissions, MembershipRecord } from "../../core/types.ts";
import {
  chatRecord,
  type Collections,
  directKeyOf,
  memberRecord,
  transaction,
} from "./_collections.ts";
import { dropReceipts } from "./receipts.ts";
import {
  addMemberUpdate,
  adminUpdate,
  type ChatUpdate,
  counted,
  handOverUpdate,
  permissionsUpdate,
  pinUpdate,
  profileUpdate,
  removeMemberUpdate,
  timerUpdate,
} from "./_chat_updates.ts";

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

  // One update of the chat's document (see _chat_updates.ts) that counts in its version;
  // the chat as it is after it, or null when the filter matched nothing.
  async #update(change: ChatUpdate): Promise<ChatRecord | null> {
    const { filter, update } = counted(change);
    const doc = await this.#c.chats.findOneAndUpdate(filter, update, { returnDocument: "after" });
    return doc ? chatRecord(doc) : null;
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

  async addMember(
    chatId: string,
    userId: string,
    { max }: { max: number },
  ): Promise<AddedMember | null> {
    const updated = await this.#update(addMemberUpdate(chatId, userId, max));
    if (!updated) {
      const chat = await this.get(chatId);
      if (!chat || chat.participantIds.includes(userId)) return chat && { chat, added: false };
      throw groupFullError(max);
    }
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
    return { chat: updated, added: true };
  }

  // A filter that matched nothing: nothing to change, or no chat.
  async setProfile(chatId: string, profile: GroupProfile): Promise<ChatRecord | null> {
    return await this.#update(profileUpdate(chatId, profile)) ?? await this.get(chatId);
  }

  async setTimer(chatId: string, seconds: number | null): Promise<ChatRecord | null> {
    return await this.#update(timerUpdate(chatId, seconds)) ?? await this.get(chatId);
  }

  async setPinned(
    chatId: string,
    messageId: string,
    options: { pinned: boolean; max: number },
  ): Promise<ChatRecord | null> {
    const updated = await this.#update(pinUpdate(chatId, messageId, options));
    if (updated) return updated;
    // Nothing matched: no such chat, nothing to change, or no room for one more pin.
    const chat = await this.get(chatId);
    if (!chat || (chat.pinned ?? []).includes(messageId) === options.pinned) return chat;
    throw new ConflictError(`A chat has at most ${options.max} pinned messages`);
  }

  // A role change that matched nothing changed nothing: the chat as it is.
  async setAdmin(chatId: string, userId: string, admin: boolean): Promise<ChatRecord | null> {
    return await this.#update(adminUpdate(chatId, userId, admin)) ?? await this.get(chatId);
  }

  async setOwner(
    chatId: string,
    handover: { from: string; to: string },
  ): Promise<ChatRecord | null> {
    return await this.#update(handOverUpdate(chatId, handover)) ?? await this.get(chatId);
  }

  async setPermissions(
    chatId: string,
    change: Partial<GroupPermissions>,
  ): Promise<ChatRecord | null> {
    return await this.#update(permissionsUpdate(chatId, change)) ?? await this.get(chatId);
  }

  async removeMember(chatId: string, userId: string): Promise<ChatRecord | null> {
    // A repeat (the user already gone) still finishes what a crash may have cut short.
    const updated = await this.#update(removeMemberUpdate(chatId, userId)) ??
      await this.get(chatId);
    await this.#c.members.deleteOne({ _id: `${chatId}:${userId}` });
    // Pending receipts are the pending index: dropping them stops delivery.
    await dropReceipts(this.#c, chatId, userId);
    return updated;
  }
}
