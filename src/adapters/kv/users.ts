/**
 * Users, friendships and revoked tokens in Deno KV.
 * @module
 */
import { ConflictError } from "../../core/errors.ts";
import type { UserPatch, UserStore } from "../../core/ports.ts";
import type { UserRecord } from "../../core/types.ts";
import { getAll, keys, retry } from "./_util.ts";

/** The user store on Deno KV. */
export class KvUserStore implements UserStore {
  #kv: Deno.Kv;

  /** Creates the store on an open KV handle. */
  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  async create(user: UserRecord): Promise<void> {
    // The null checks make username and email unique even across racing registrations.
    const result = await this.#kv.atomic()
      .check({ key: keys.login(user.username), versionstamp: null })
      .check({ key: keys.login(user.email), versionstamp: null })
      .set(keys.user(user.id), user)
      .set(keys.login(user.username), user.id)
      .set(keys.login(user.email), user.id)
      .commit();
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
      if (generation !== undefined && (entry.value.tokens?.current ?? 0) !== generation) {
        throw new ConflictError("Cannot update user: its tokens changed meanwhile");
      }
      const user = { ...entry.value, ...patch };
      for (const key of Object.keys(patch) as (keyof typeof patch)[]) {
        if (patch[key] === undefined) delete user[key];
      }
      const result = await this.#kv.atomic().check(entry).set(keys.user(id), user).commit();
      return result.ok ? user : undefined;
    });
  }

  async addFriendship(a: string, b: string): Promise<void> {
    await this.#kv.atomic().set(keys.friend(a, b), true).set(keys.friend(b, a), true).commit();
  }

  async removeFriendship(a: string, b: string): Promise<void> {
    await this.#kv.atomic().delete(keys.friend(a, b)).delete(keys.friend(b, a)).commit();
  }

  async listFriends(userId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const entry of this.#kv.list({ prefix: keys.friends(userId) })) {
      ids.push(entry.key[2] as string);
    }
    return ids;
  }

  async areFriends(a: string, b: string): Promise<boolean> {
    return (await this.#kv.get(keys.friend(a, b))).value !== null;
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
