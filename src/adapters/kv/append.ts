/**
 * Sends into Deno KV, many per atomic commit.
 *
 * A KV file takes a few thousand commits per second however they are issued, so
 * one commit per message would cap the whole server there. Sends that arrive
 * while a commit runs are planned together and written in the next one: each gets
 * its chat's next seq in arrival order, and the commit checks every chat,
 * membership and idempotency key it read, so concurrent writers (another process
 * on the same file, a member removal) make it retry rather than share or skip a seq.
 *
 * Sends go through a few lanes, each its own group commit, and a chat always takes
 * the same lane: while one lane's commit runs on the KV thread, the others plan
 * theirs on the main thread. With one lane each thread sat idle half the time,
 * waiting for the other (measured in the online relay: 3,000 to 3,600 msg/s with one
 * lane of 128, 5,000 to 6,300 with four lanes of 64). A chat's seqs still follow arrival
 * order; lanes never share a chat or a membership, and an idempotency key that two
 * lanes race for is checked by both commits, so one of them retries and finds it.
 * @module
 */
import { ConflictError } from "../../core/errors.ts";
import { GroupCommit, type Outcome } from "../../core/group_commit.ts";
import type { NewMessage } from "../../core/ports.ts";
import type { MessageRecord } from "../../core/types.ts";
import { retry } from "./_util.ts";
import { CommitBudget, oversized, sendCost } from "./_budget.ts";
import { EntryCache } from "./_entry_cache.ts";
import { readSlots, type Ref } from "./_append_slots.ts";
import { messageOf, refusalOf, writeMessage } from "./_append_plan.ts";
import type { PendingCache, PendingEntry } from "./_pending_cache.ts";

/** What `append` returns: the message, and whether this call stored it. */
export type Appended = { message: MessageRecord; created: boolean };

const CACHE_SIZE = 10_000;
const LANES = 4;
// Smaller commits finish sooner and keep the lanes overlapping (64 did better than 128).
const BATCH = 64;

type Item = { input: NewMessage; index: number };

/** Appends messages in group commits. */
export class KvAppender {
  #kv: Deno.Kv;
  #lanes: GroupCommit<NewMessage, Appended>[];
  #readStored: (refs: Ref[]) => Promise<MessageRecord[]>;
  #cache: EntryCache;
  #pending: PendingCache;

  /**
   * Creates the appender. It remembers the pending entries it writes in `pending`
   * (for the acks); `readStored` reads messages already stored (for retried sends).
   */
  constructor(
    kv: Deno.Kv,
    pending: PendingCache,
    readStored: (refs: Ref[]) => Promise<MessageRecord[]>,
  ) {
    this.#kv = kv;
    this.#cache = new EntryCache(kv, CACHE_SIZE);
    this.#pending = pending;
    this.#readStored = readStored;
    this.#lanes = Array.from(
      { length: LANES },
      () => new GroupCommit((inputs) => this.#flush(inputs), BATCH),
    );
  }

  /** Stores one message (with whatever else is waiting); see `MessageStore.append`. */
  append(input: NewMessage): Promise<Appended> {
    return this.#lanes[laneOf(input.chatId)].add(input);
  }

  async #flush(inputs: NewMessage[]): Promise<Outcome<Appended>[]> {
    const outcomes: Outcome<Appended>[] = new Array(inputs.length);
    let todo: Item[] = inputs.map((input, index) => ({ input, index }));
    // Each round commits as much as fits in one atomic operation.
    while (todo.length > 0) {
      let attempt = 0;
      const done = await retry("store message", () => this.#commitSome(todo, attempt++ === 0));
      for (const [index, outcome] of done) outcomes[index] = outcome;
      todo = todo.filter((item) => !done.has(item.index));
    }
    return outcomes;
  }

  /**
   * Plans and commits as many items as fit. `optimistic` trusts the cache of
   * chats and memberships and assumes no clientMsgId was used before (a plain
   * null check, no read); if either is wrong the commit fails, the cache is
   * dropped, and the retry reads everything.
   */
  async #commitSome(
    todo: Item[],
    optimistic: boolean,
  ): Promise<Map<number, Outcome<Appended>> | undefined> {
    if (!optimistic) this.#cache.clear();
    const { chats, members, dups } = await readSlots(this.#kv, this.#cache, {
      inputs: todo.map((item) => item.input),
      optimistic,
    });
    const done = new Map<number, Outcome<Appended>>();
    const ownDups = new Map<string, MessageRecord>();
    const stored: { index: number; ref: Ref }[] = [];
    const pending: Omit<PendingEntry, "versionstamp">[] = [];
    const op = this.#kv.atomic();
    const budget = new CommitBudget();
    for (const { input, index } of todo) {
      const { chatId, senderId } = input;
      const dupKey = `${senderId}\0${input.clientMsgId}`;
      const earlier: MessageRecord | Ref | null | undefined = ownDups.get(dupKey) ??
        dups.get(dupKey)?.value;
      if (earlier && earlier.chatId !== chatId) {
        done.set(index, failed(new ConflictError("clientMsgId was already used in another chat")));
        continue;
      }
      if (earlier) {
        if ("id" in earlier) {
          const message = earlier as MessageRecord;
          done.set(index, { ok: true, value: { message, created: false } });
        } else stored.push({ index, ref: earlier as Ref });
        continue;
      }
      const chat = chats.get(chatId)!;
      const member = members.get(`${chatId}\0${senderId}`)!;
      const refusal = refusalOf(chat, member);
      if (refusal) {
        done.set(index, failed(refusal));
        continue;
      }
      const message = messageOf(input, chat.value);
      const cost = sendCost(message, !chat.checked, !member.checked);
      const tooLarge = oversized(cost.recordJson);
      if (tooLarge) {
        done.set(index, failed(tooLarge));
        continue;
      }
      if (!budget.take(cost)) break;
      if (!chat.checked) op.check(chat.entry), chat.checked = true;
      if (!member.checked) op.check(member.entry), member.checked = true;
      op.check(dups.get(dupKey)!);
      chat.value = { ...chat.value, lastSeq: message.seq, lastActivityAt: input.createdAt };
      member.value = { ...member.value, ownAfterRead: member.value.ownAfterRead + 1 };
      pending.push(...writeMessage(op, message));
      ownDups.set(dupKey, message);
      done.set(index, { ok: true, value: { message, created: true } });
    }
    if (budget.items > 0) {
      for (const slot of chats.values()) if (slot.checked) op.set(slot.entry.key, slot.value);
      for (const slot of members.values()) if (slot.checked) op.set(slot.entry.key, slot.value);
      const result = await op.commit();
      if (!result.ok) return undefined;
      const { versionstamp } = result;
      for (const entry of pending) this.#pending.remember({ ...entry, versionstamp });
      for (const slot of [...chats.values(), ...members.values()]) {
        if (slot.checked) {
          this.#cache.remember({
            ...slot.entry,
            value: slot.value,
            versionstamp: result.versionstamp,
          });
        }
      }
    }
    await this.#resolveStored(stored, done);
    return done;
  }

  // Sends retried after an earlier commit stored them: answered with the message as stored.
  async #resolveStored(
    stored: { index: number; ref: Ref }[],
    done: Map<number, Outcome<Appended>>,
  ): Promise<void> {
    const earlier = await this.#readStored(stored.map((s) => s.ref));
    for (const { index, ref } of stored) {
      const message = earlier.find((m) => m.chatId === ref.chatId && m.seq === ref.seq);
      done.set(
        index,
        message ? { ok: true, value: { message, created: false } } : failed(
          new ConflictError("clientMsgId refers to a message that no longer exists"),
        ),
      );
    }
  }
}

// A chat's lane: a string hash, so every send of a chat takes the same one.
function laneOf(chatId: string): number {
  let hash = 0;
  for (let i = 0; i < chatId.length; i++) hash = (hash * 31 + chatId.charCodeAt(i)) | 0;
  return (hash >>> 0) % LANES;
}

function failed(error: unknown): Outcome<never> {
  return { ok: false, error };
}
