/**
 * Groups' invite links in Deno KV: the group's invite under its chat id, and
 * its code pointing at the chat. Both change in one commit, checked against
 * the invite read, so two resets at once leave one live code, not two.
 * @module
 */
import type { InviteStore } from "../../core/ports.ts";
import type { InviteRecord } from "../../core/types.ts";
import { keys, retry } from "./_util.ts";

/** The invite store on Deno KV. */
export class KvInviteStore implements InviteStore {
  #kv: Deno.Kv;

  /** Creates the store on an open KV handle. */
  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  put(invite: InviteRecord): Promise<void> {
    return this.#replace("set invite", invite.chatId, invite);
  }

  async get(chatId: string): Promise<InviteRecord | null> {
    return (await this.#kv.get<InviteRecord>(keys.chatInvite(chatId))).value;
  }

  async find(code: string): Promise<InviteRecord | null> {
    const chatId = (await this.#kv.get<string>(keys.invite(code))).value;
    return chatId === null ? null : await this.get(chatId);
  }

  remove(chatId: string): Promise<void> {
    return this.#replace("revoke invite", chatId, null);
  }

  #replace(what: string, chatId: string, invite: InviteRecord | null): Promise<void> {
    return retry(what, async () => {
      const current = await this.#kv.get<InviteRecord>(keys.chatInvite(chatId));
      if (!current.value && !invite) return true;
      const op = this.#kv.atomic().check(current);
      if (current.value) op.delete(keys.invite(current.value.code));
      if (invite) {
        op.set(keys.chatInvite(chatId), invite).set(keys.invite(invite.code), chatId);
      } else op.delete(keys.chatInvite(chatId));
      return (await op.commit()).ok || undefined;
    }).then(() => {});
  }
}
