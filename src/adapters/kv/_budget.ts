/**
 * What one Deno KV atomic operation may hold, and what a send costs in it. KV
 * refuses an operation over any of its limits (100 checks, 1000 mutations, 80 KiB
 * of keys, 800 KiB in all), whatever the others, so the group commit of sends
 * (append.ts) counts all four and closes a commit before the first one runs out.
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { addressedBy, type MessageRecord } from "../../core/types.ts";
import { keys } from "./_util.ts";

/** An amount of each of an atomic operation's limits. */
export interface Cost {
  checks: number;
  mutations: number;
  keyBytes: number;
  bytes: number;
}

// Values are sized from their JSON, an estimate: keep to half of KV's 800 KiB.
const LIMITS: Cost = { checks: 100, mutations: 1000, keyBytes: 80 * 1024, bytes: 400 * 1024 };

/** The share of one atomic operation's limits that a planned commit has taken. */
export class CommitBudget {
  #used: Cost = { checks: 0, mutations: 0, keyBytes: 0, bytes: 0 };
  #items = 0;

  /** How many items were taken. */
  get items(): number {
    return this.#items;
  }

  /**
   * Takes an item's cost when it fits; the first item is always taken, so one
   * too large to share a commit still gets one of its own (and KV judges it).
   */
  take(cost: Cost): boolean {
    const used = this.#used;
    const fits = used.checks + cost.checks <= LIMITS.checks &&
      used.mutations + cost.mutations <= LIMITS.mutations &&
      used.keyBytes + cost.keyBytes <= LIMITS.keyBytes && used.bytes + cost.bytes <= LIMITS.bytes;
    if (!fits && this.#items > 0) return false;
    used.checks += cost.checks;
    used.mutations += cost.mutations;
    used.keyBytes += cost.keyBytes;
    used.bytes += cost.bytes;
    this.#items++;
    return true;
  }
}

/** What a send costs, and its record's length as JSON (for `oversized`). */
export interface SendCost extends Cost {
  recordJson: number;
}

/**
 * What storing one message costs (see append.ts for the writes): a check of its
 * idempotency key; the message, its id and its idempotency key; per recipient a
 * pending entry, and per recipient it addresses an index entry; and the chat's
 * and the sender's membership (each checked and written) when the commit does
 * not hold them yet.
 */
export function sendCost(message: MessageRecord, withChat: boolean, withMember: boolean): SendCost {
  const { chatId, seq, senderId, recipientIds } = message;
  const recordJson = JSON.stringify(message).length;
  // A recipient's key differs from the others only in the user part: size the
  // rest once (an empty part is 2 bytes), not a new key per recipient per send.
  const perRecipient = keyBytes(keys.pending("", chatId, seq)) - 2;
  let recipientKeyBytes = 0;
  for (const userId of recipientIds) recipientKeyBytes += perRecipient + partBytes(userId);
  // The index entries of the recipients it addresses, keyed like pending entries.
  const addressed = addressedBy(message);
  for (const userId of addressed) recipientKeyBytes += perRecipient + partBytes(userId);
  // A disappearing message's entry in the expiry index.
  const expiring = message.expiresAt ? 1 : 0;
  if (message.expiresAt) {
    recipientKeyBytes += keyBytes(keys.expiring(message.expiresAt, chatId, seq));
  }
  return {
    checks: 1 + Number(withChat) + Number(withMember),
    mutations: 3 + Number(withChat) + Number(withMember) + recipientIds.length + addressed.length +
      expiring,
    keyBytes: keyBytes(keys.message(chatId, seq)) + keyBytes(keys.messageId(message.id)) +
      2 * keyBytes(keys.clientMsg(senderId, message.clientMsgId)) + recipientKeyBytes +
      (withChat ? 2 * keyBytes(keys.chat(chatId)) : 0) +
      (withMember ? 2 * keyBytes(keys.member(chatId, senderId)) : 0),
    bytes: recordJson * 3 + 100 * recipientIds.length,
    recordJson,
  };
}

/**
 * The largest message record a KV value holds, sized from its JSON: KV refuses a
 * value over 64 KiB as V8 serializes it, which writes the sealed content and the
 * ids (ASCII) in a byte per character, the margin being for emoji and names in two.
 */
const MAX_MESSAGE_JSON = 60_000;

/**
 * The refusal of a message whose record, of `recordJson` characters as JSON, is
 * too large for one KV value (a long message in a large group, or one with many
 * reactions), as `payload_too_large`; undefined when it fits. KV's own refusal
 * would fail the whole group commit of sends the message shares.
 */
export function oversized(recordJson: number): ValidationError | undefined {
  if (recordJson <= MAX_MESSAGE_JSON) return undefined;
  return new ValidationError("Message is too large to store: the embedded store keeps 64 KiB", {
    tooLarge: true,
  });
}

/**
 * An upper bound of a key's encoded size: a type tag and a terminator per part,
 * at most 3 bytes per UTF-16 unit, 0x00 escaped to 2, 10 bytes for a number.
 */
export function keyBytes(key: Deno.KvKey): number {
  let bytes = 0;
  for (const part of key) bytes += typeof part === "string" ? partBytes(part) : 10;
  return bytes;
}

function partBytes(part: string): number {
  // Ids are printable ASCII: one byte per unit, found by a native regex scan.
  if (!/[^ -~]/.test(part)) return 2 + part.length;
  let length = 2;
  for (let i = 0; i < part.length; i++) {
    const code = part.charCodeAt(i);
    length += code === 0 ? 2 : code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
  }
  return length;
}
