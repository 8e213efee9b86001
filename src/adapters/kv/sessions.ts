/**
 * Users' logins in Deno KV, under the user, each set to expire with its newest
 * token: Deno KV drops it some time after, and lists leave out what is past.
 * @module
 */
import type { SessionRecord, SessionStore } from "../../core/ports.ts";
import { keys, retry } from "./_util.ts";

// Deno KV wants a positive expiry: a login that just ended still goes at once.
const expiryOf = (session: SessionRecord) => ({
  expireIn: Math.max(1000, Date.parse(session.expiresAt) - Date.now()),
});

/** The session store on Deno KV. */
export class KvSessionStore implements SessionStore {
  #kv: Deno.Kv;

  /** Creates the store on an open KV handle. */
  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  async add(session: SessionRecord): Promise<void> {
    await this.#kv.set(keys.session(session.userId, session.id), session, expiryOf(session));
  }

  touch(
    userId: string,
    id: string,
    change: Pick<SessionRecord, "lastActiveAt"> & Partial<Pick<SessionRecord, "expiresAt">>,
  ): Promise<boolean> {
    const key = keys.session(userId, id);
    return retry("touch session", async () => {
      const entry = await this.#kv.get<SessionRecord>(key);
      if (!entry.value) return false;
      // A set without expireIn would keep it forever: the expiry goes with every write.
      const next = { ...entry.value, ...change };
      return (await this.#kv.atomic().check(entry).set(key, next, expiryOf(next)).commit()).ok ||
        undefined;
    });
  }

  async list(userId: string): Promise<SessionRecord[]> {
    const now = Date.now();
    const sessions: SessionRecord[] = [];
    for await (const entry of this.#kv.list<SessionRecord>({ prefix: keys.sessions(userId) })) {
      if (Date.parse(entry.value.expiresAt) > now) sessions.push(entry.value);
    }
    return sessions;
  }

  async remove(userId: string, id: string): Promise<void> {
    await this.#kv.delete(keys.session(userId, id));
  }
}
