/**
 * The messages a user sent, read through the idempotency keys: each send leaves
 * one under its sender (`keys.clientMsg`) pointing at the message, so listing
 * them by sender finds every message the user ever sent, a deleted one's
 * tombstone too.
 * @module
 */
import type { StoredMessage } from "../../core/types.ts";
import type { Ref } from "./_append_slots.ts";
import { keys } from "./_util.ts";

/** A page of a sender's messages, in the order of their idempotency keys. */
export async function listBySender(
  kv: Deno.Kv,
  getBySeq: (chatId: string, seqs: number[]) => Promise<StoredMessage[]>,
  senderId: string,
  options: { cursor?: string; limit: number },
): Promise<{ messages: StoredMessage[]; cursor: string | null }> {
  const entries = kv.list<Ref>({ prefix: keys.clientMsgs(senderId) }, {
    limit: options.limit,
    cursor: options.cursor,
  });
  const refs: Ref[] = [];
  for await (const entry of entries) refs.push(entry.value);
  const byChat = Map.groupBy(refs, (ref) => ref.chatId);
  const pages = await Promise.all(
    [...byChat].map(([chatId, inChat]) => getBySeq(chatId, inChat.map((ref) => ref.seq))),
  );
  return {
    messages: pages.flat(),
    cursor: refs.length < options.limit ? null : entries.cursor,
  };
}
