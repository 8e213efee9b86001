/**
 * What a group commit of sends reads before it plans: each chat (its last seq),
 * each sender's membership, and each idempotency key. Chats and memberships come
 * from the appender's cache when it has them; the commit then checks them, so a
 * stale one makes it retry rather than write on top of another writer.
 * @module
 */
import type { NewMessage } from "../../core/ports.ts";
import type { ChatRecord, MembershipRecord } from "../../core/types.ts";
import type { EntryCache } from "./_entry_cache.ts";
import { getAll, keys } from "./_util.ts";

/** Where a message is stored: what an idempotency key points to. */
export type Ref = { chatId: string; seq: number };

/** An entry as read, the value the commit will write, and whether the commit checks it. */
export type Slot<T> = { entry: Deno.KvEntryMaybe<T>; value: T; checked: boolean };

/** The entries one commit plans with, keyed by chat id, `chat\0sender` and `sender\0clientMsgId`. */
export interface Slots {
  chats: Map<string, Slot<ChatRecord>>;
  members: Map<string, Slot<MembershipRecord>>;
  dups: Map<string, Deno.KvEntryMaybe<Ref>>;
}

/**
 * Reads the entries for these sends. `optimistic` assumes no idempotency key was
 * used before (no read; the commit's null check catches a wrong guess).
 */
export async function readSlots(
  kv: Deno.Kv,
  cache: EntryCache,
  options: { inputs: NewMessage[]; optimistic: boolean },
): Promise<Slots> {
  const { inputs, optimistic } = options;
  const chatIds = unique(inputs, (i) => i.chatId).map((i) => i.chatId);
  const pairs = unique(inputs, (i) => `${i.chatId}\0${i.senderId}`);
  const senders = unique(inputs, (i) => `${i.senderId}\0${i.clientMsgId}`);
  const dupKeys = senders.map((s) => keys.clientMsg(s.senderId, s.clientMsgId));
  const [chatEntries, memberEntries, dupEntries] = await Promise.all([
    cache.get<ChatRecord>(chatIds.map((id) => keys.chat(id))),
    cache.get<MembershipRecord>(pairs.map((p) => keys.member(p.chatId, p.senderId))),
    optimistic
      ? dupKeys.map((key): Deno.KvEntryMaybe<Ref> => ({ key, value: null, versionstamp: null }))
      : getAll<Ref>(kv, dupKeys),
  ]);
  return {
    chats: new Map(chatIds.map((id, i) => [id, slot(chatEntries[i])])),
    members: new Map(pairs.map((p, i) => [`${p.chatId}\0${p.senderId}`, slot(memberEntries[i])])),
    dups: new Map(senders.map((s, i) => [`${s.senderId}\0${s.clientMsgId}`, dupEntries[i]])),
  };
}

function unique<T>(list: T[], key: (t: T) => string): T[] {
  return [...new Map(list.map((t) => [key(t), t])).values()];
}

function slot<T>(entry: Deno.KvEntryMaybe<T>): Slot<T> {
  return { entry, value: entry.value as T, checked: false };
}
