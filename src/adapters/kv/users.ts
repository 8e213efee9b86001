/**
 * Users, friendships, blocks and revoked tokens in Deno KV.
 * @module
 */
import { ConflictError } from "../../core/errors.ts";
import type { UserBlocks, UserPatch, UserStore } from "../../core/ports.ts";
import { withBlock } from "../../core/blocks.ts";
import { type ChatRecord, generationOf, type UserRecord } from "../../core/types.ts";
import { getAll, keys, retry } from "./_util.ts";
import { counted } from "./_roles.ts";

/** The user store on Deno KV. */
export class KvUserStore implements UserStore {
  #kv: Deno.Kv;

  /** Creates the store on an open KV handle. */
  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  async create(user: UserRecord): Promise<void> {
    // The null checks make username and email unique even across racing
    // registrations, and the id: an identity provider's logins name it themselves.
    const op = this.#kv.atomic().check({ key: keys.user(user.id), versionstamp: null });
    for (const login of [user.username, user.email]) {
      if (login) {
        op.check({ key: keys.login(login), versionstamp: null }).set(keys.login(login), user.id);
      }
    }
    const result = await op.set(keys.user(user.id), user).commit();
    if (!result.ok) throw new ConflictError("Username or email is already taken");
  }

  async get(id: string): Promise<UserRecord | null> {
    return (await this.#kv.get<UserRecord>(keys.user(id))).value;
  }

  async getMany(ids: readonly string[]): Promise<UserRecord[]> {
    const entries = await getAll<UserRecord>(this.#kv, ids.map(keys.user));
    return entries.flatMap((entry) => (entry.value ? [entry.value] : []));
  }

  async findByLogin(login: string): Promise<UserRecord | null> {
    const id = (await this.#kv.get<string>(keys.login(login))).value;
    return id ? this.get(id) : null;
  }

  update(
    id: string,
    patch: UserPatch,
    options: { generation?: number } = {},
  ): Promise<UserRecord | null> {
    return retry("update user", async () => {
      const entry = await this.#kv.get<UserRecord>(keys.user(id));
      if (!entry.value) return null;
      const { generation } = options;
      if (generation !== undefined && generationOf(entry.value) !== generation) {
        throw new ConflictError("Cannot update user: its tokens changed meanwhile");
      }
      const user = { ...entry.value, ...patch };
      for (const key of Object.keys(patch) as (keyof typeof patch)[]) {
        if (patch[key] === undefined) delete user[key];
      }
      const op = this.#kv.atomic().check(entry).set(keys.user(id), user);
      if (patch.deletedAt) op.set(keys.deletion(id), true);
      return (await op.commit()).ok ? user : undefined;
    });
  }

  erase(id: string, tombstone: UserRecord): Promise<boolean> {
    return retry("erase user", async () => {
      const entry = await this.#kv.get<UserRecord>(keys.user(id));
      if (!entry.value) return false;
      const op = this.#kv.atomic().check(entry).set(keys.user(id), tombstone)
        .delete(keys.deletion(id));
      // A tombstone has no login left to free: erasing twice frees nobody else's.
      for (const login of [entry.value.username, entry.value.email]) {
        if (login) op.delete(keys.login(login));
      }
      return (await op.commit()).ok ? true : undefined;
    });
  }

  async listDeletions(): Promise<UserRecord[]> {
    const ids: string[] = [];
    for await (const entry of this.#kv.list({ prefix: keys.deletions() })) {
      ids.push(entry.key[1] as string);
    }
    return this.getMany(ids);
  }

  async addFriendship(a: string, b: string): Promise<void> {
    await this.#kv.atomic().set(keys.friend(a, b), true).set(keys.friend(b, a), true).commit();
  }

  async removeFriendship(a: string, b: string): Promise<void> {
    await this.#kv.atomic().delete(keys.friend(a, b)).delete(keys.friend(b, a)).commit();
  }

  listFriends(userId: string): Promise<string[]> {
    return this.#ids(keys.friends(userId));
  }

  async areFriends(a: string, b: string): Promise<boolean> {
    return (await this.#kv.get(keys.friend(a, b))).value !== null;
  }

  setBlocked(userId: string, other: string, blocked: boolean): Promise<ChatRecord | null> {
    return retry("block user", async () => {
      const pair = await this.#kv.get<string>(keys.direct(userId, other));
      const entry = pair.value ? await this.#kv.get<ChatRecord>(keys.chat(pair.value)) : null;
      // The check on the pair makes a direct chat created meanwhile retry this, and
      // the check on the chat orders this against sends, which rewrite its record.
      const op = this.#kv.atomic().check(pair);
      if (blocked) {
        op.set(keys.block(userId, other), true).set(keys.blockedBy(other, userId), true)
          .delete(keys.friend(userId, other)).delete(keys.friend(other, userId));
      } else op.delete(keys.block(userId, other)).delete(keys.blockedBy(other, userId));
      let chat = entry?.value ?? null;
      // Blocking again changes nothing in the chat: no write, no version counted.
      if (entry && chat && (chat.blockedBy ?? []).includes(userId) !== blocked) {
        chat = counted(withBlock(chat, userId, blocked));
        op.check(entry).set(keys.chat(chat.id), chat);
      }
      return (await op.commit()).ok ? chat : undefined;
    });
  }

  async blocks(userId: string): Promise<UserBlocks> {
    const [blocked, blockedBy] = await Promise.all([
      this.#ids(keys.blocks(userId)),
      this.#ids(keys.blockedBys(userId)),
    ]);
    return { blocked, blockedBy };
  }

  // The last key part of each entry under a prefix: the other user of a pair.
  async #ids(prefix: Deno.KvKey): Promise<string[]> {
    const ids: string[] = [];
    for await (const entry of this.#kv.list({ prefix })) ids.push(entry.key[2] as string);
    return ids;
  }

  async revokeToken(tokenId: string, expiresAt: Date): Promise<void> {
    // Kept until the token would have expired anyway; after that verification refuses it.
    const expireIn = Math.max(1000, expiresAt.getTime() - Date.now());
    await this.#kv.set(keys.revoked(tokenId), true, { expireIn });
  }

  async isTokenRevoked(tokenId: string): Promise<boolean> {
    return (await this.#kv.get(keys.revoked(tokenId))).value !== null;
  }
}
