/**
 * Chats and memberships in Deno KV.
 * @module
 */
import type { AddedMember, ChatStore, ChatWithMembership, GroupProfile } from "../../core/ports.ts";
import type { ChatRecord, GroupPermissions, MembershipRecord } from "../../core/types.ts";
import { withBlock } from "../../core/blocks.ts";
import { ConflictError, groupFullError } from "../../core/errors.ts";
import { changeEntry, getAll, keys, retry } from "./_util.ts";
import { markLeaving, settleLeaving } from "./_leaving.ts";
import { counted, handedOver, withAdmin, withoutMember, withPermissions } from "./_roles.ts";

/** The chat store on Deno KV. */
export class KvChatStore implements ChatStore {
  #kv: Deno.Kv;

  /** Creates the store on an open KV handle. */
  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  #withMembers(op: Deno.AtomicOperation, chat: ChatRecord): Deno.AtomicOperation {
    op.set(keys.chat(chat.id), chat);
    for (const userId of chat.participantIds) {
      const membership: MembershipRecord = { chatId: chat.id, userId, readSeq: 0, ownAfterRead: 0 };
      op.set(keys.member(chat.id, userId), membership).set(keys.userChat(userId, chat.id), true);
    }
    return op;
  }

  async createGroup(chat: ChatRecord): Promise<ChatRecord> {
    await this.#withMembers(this.#kv.atomic(), chat).commit();
    return chat;
  }

  async createDirect(chat: ChatRecord): Promise<{ chat: ChatRecord; created: boolean }> {
    const [a, b] = chat.participantIds;
    const directKey = keys.direct(a, b);
    for (;;) {
      const [existing, ab, ba] = await this.#kv.getMany<[string, true, true]>([
        directKey,
        keys.block(a, b),
        keys.block(b, a),
      ]);
      if (existing.value) {
        const found = await this.get(existing.value);
        if (found) return { chat: found, created: false };
      }
      let record = chat;
      if (ab.value) record = withBlock(record, a, true);
      if (ba.value) record = withBlock(record, b, true);
      // The check on the pair makes its chat unique even when both users create it at
      // once; the checks on the blocks keep a block made meanwhile from missing it.
      const op = this.#withMembers(this.#kv.atomic().check(existing, ab, ba), record)
        .set(directKey, chat.id);
      if ((await op.commit()).ok) return { chat: record, created: true };
    }
  }

  async get(chatId: string): Promise<ChatRecord | null> {
    return (await this.#kv.get<ChatRecord>(keys.chat(chatId))).value;
  }

  async getMembership(chatId: string, userId: string): Promise<MembershipRecord | null> {
    return (await this.#kv.get<MembershipRecord>(keys.member(chatId, userId))).value;
  }

  async listForUser(userId: string): Promise<ChatWithMembership[]> {
    const chatIds: string[] = [];
    for await (const entry of this.#kv.list({ prefix: keys.userChats(userId) })) {
      chatIds.push(entry.key[2] as string);
    }
    const [chats, members] = await Promise.all([
      getAll<ChatRecord>(this.#kv, chatIds.map(keys.chat)),
      getAll<MembershipRecord>(this.#kv, chatIds.map((id) => keys.member(id, userId))),
    ]);
    return chats.flatMap((entry, i) => {
      const membership = members[i].value;
      return entry.value && membership ? [{ chat: entry.value, membership }] : [];
    });
  }

  addMember(chatId: string, userId: string, { max }: { max: number }): Promise<AddedMember | null> {
    return retry("add participant", async () => {
      const entry = await this.#kv.get<ChatRecord>(keys.chat(chatId));
      const chat = entry.value;
      if (!chat || chat.participantIds.includes(userId)) return chat && { chat, added: false };
      if (chat.participantIds.length >= max) throw groupFullError(max);
      const next = counted({ ...chat, participantIds: [...chat.participantIds, userId] });
      const membership: MembershipRecord = {
        chatId,
        userId,
        joinedSeq: chat.lastSeq,
        readSeq: chat.lastSeq,
        ownAfterRead: 0,
      };
      // The check on the chat orders this against sends: a message either has the new
      // member among its recipients or a seq at or below joinedSeq.
      const result = await this.#kv.atomic().check(entry)
        .set(keys.chat(chatId), next)
        .set(keys.member(chatId, userId), membership)
        .set(keys.userChat(userId, chatId), true)
        .commit();
      return result.ok ? { chat: next, added: true } : undefined;
    });
  }

  setProfile(chatId: string, profile: GroupProfile): Promise<ChatRecord | null> {
    return this.#change("set group profile", chatId, (chat) => withProfile(chat, profile));
  }

  setTimer(chatId: string, seconds: number | null): Promise<ChatRecord | null> {
    return this.#change(
      "set message timer",
      chatId,
      (chat) => {
        if ((chat.messageTimer ?? null) === seconds) return chat; // the same record: no write
        const { messageTimer: _, ...rest } = chat;
        return seconds === null ? rest : { ...rest, messageTimer: seconds };
      },
    );
  }

  setPinned(
    chatId: string,
    messageId: string,
    options: { pinned: boolean; max: number },
  ): Promise<ChatRecord | null> {
    return this.#change("pin message", chatId, (chat) => {
      const { pinned: old = [], ...rest } = chat;
      if (old.includes(messageId) === options.pinned) return chat;
      if (options.pinned && old.length >= options.max) {
        throw new ConflictError(`A chat has at most ${options.max} pinned messages`);
      }
      const pinned = options.pinned ? [messageId, ...old] : old.filter((id) => id !== messageId);
      return pinned.length > 0 ? { ...rest, pinned } : rest;
    });
  }

  setAdmin(chatId: string, userId: string, admin: boolean): Promise<ChatRecord | null> {
    return this.#change("set admin", chatId, (chat) => withAdmin(chat, userId, admin));
  }

  setOwner(chatId: string, handover: { from: string; to: string }): Promise<ChatRecord | null> {
    return this.#change("hand group over", chatId, (chat) => handedOver(chat, handover));
  }

  setPermissions(chatId: string, change: Partial<GroupPermissions>): Promise<ChatRecord | null> {
    return this.#change("set permissions", chatId, (chat) => withPermissions(chat, change));
  }

  #change(
    what: string,
    chatId: string,
    next: (chat: ChatRecord) => ChatRecord,
  ): Promise<ChatRecord | null> {
    return changeEntry(this.#kv, what, keys.chat(chatId), (chat) => {
      const changed = next(chat);
      return changed === chat ? chat : counted(changed);
    });
  }

  async removeMember(chatId: string, userId: string): Promise<ChatRecord | null> {
    const chat = await retry("remove participant", async () => {
      const [entry, member] = await this.#kv.getMany<[ChatRecord, MembershipRecord]>([
        keys.chat(chatId),
        keys.member(chatId, userId),
      ]);
      const chat = entry.value;
      if (!chat || !chat.participantIds.includes(userId)) return chat;
      const next = counted(withoutMember(chat, userId));
      const op = this.#kv.atomic().check(entry, member)
        .set(keys.chat(chatId), next)
        .delete(keys.member(chatId, userId))
        .delete(keys.userChat(userId, chatId));
      // From where senders saw them read: reads held back count as read now.
      const seen = member.value?.receiptSeq ?? member.value?.readSeq ?? 0;
      markLeaving(op, { userId, chat, readSeq: seen });
      return (await op.commit()).ok ? next : undefined;
    });
    // After the commit no send has the user among its recipients: settle what is left.
    // A repeat (the user already gone) finishes what a crash may have cut short.
    await settleLeaving(this.#kv, userId, chatId);
    return chat;
  }
}

// The chat with the profile's fields set or (null) removed; the same record when nothing changes.
function withProfile(chat: ChatRecord, profile: GroupProfile): ChatRecord {
  const next: ChatRecord = { ...chat };
  let changed = false;
  for (const field of ["name", "description", "avatar"] as const) {
    const value = profile[field];
    if (value === undefined || (value ?? undefined) === chat[field]) continue;
    if (value === null) delete next[field];
    else next[field] = value;
    changed = true;
  }
  return changed ? next : chat;
}
