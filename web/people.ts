/**
 * The users the page names: the user, their friends, and members of their
 * groups who are not friends, each fetched by id once. A group's messages and
 * members list read names from here.
 * @module
 */
import type { UserView } from "../src/sdk/mod.ts";

/** Known users by id, filled from the friend list and by lookups. */
export class People {
  #users = new Map<string, UserView>();
  #lookup: (userId: string) => Promise<UserView>;

  /** Creates the cache; `lookup` fetches one user (`RestClient.user`). */
  constructor(lookup: (userId: string) => Promise<UserView>) {
    this.#lookup = lookup;
  }

  /** Keeps these users (the same objects: a friend's presence updates show here too). */
  remember(...users: UserView[]): void {
    for (const user of users) this.#users.set(user.id, user);
  }

  /** The name to show for a user: display name, else username, else "someone". */
  name(userId: string): string {
    const user = this.#users.get(userId);
    return user ? user.displayName || user.username : "someone";
  }

  /** The user's username, for a test hook or a mention; undefined when unknown. */
  username(userId: string): string | undefined {
    return this.#users.get(userId)?.username;
  }

  /**
   * Fetches the users of `userIds` not known yet. A failed lookup is left out
   * (the name stays "someone") and tried again on the next call.
   */
  async load(userIds: readonly string[]): Promise<void> {
    const missing = [...new Set(userIds)].filter((id) => !this.#users.has(id));
    await Promise.all(missing.map(async (id) => {
      try {
        this.remember(await this.#lookup(id));
      } catch {
        // Shown as "someone" until a later load finds them.
      }
    }));
  }
}
