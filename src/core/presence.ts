/**
 * Online state of users: online while any device is connected. Only contacts
 * (friends and chat partners) are told when a user comes and goes, and nobody
 * while the user hides their presence (`setHidden`).
 *
 * Contacts hear that a user left only once the last device has been gone for a
 * grace period (`Departures`): telling every contact "offline" then "online"
 * for a reload makes their screens flicker. Presence itself (who is online, for
 * push and the offline queue) and `lastSeen` change at once.
 * @module
 */
import { ServerEvents } from "../protocol/mod.ts";
import type { Logger, Notifier, Presence, Store } from "./ports.ts";
import type { UserService } from "./users.ts";
import { Departures } from "./departures.ts";

/** A user whose last device left, not yet announced: when it left. */
interface Leaving {
  lastSeen: string;
}

/** Tracks devices and tells contacts about a user's first and last device. */
export class PresenceService {
  #store: Store;
  #presence: Presence;
  #users: UserService;
  #notifier: Notifier;
  #logger: Logger;
  /** Departures this node has not announced yet, by user. */
  #leaving: Departures<Leaving>;
  /** Each user's announcement in progress here: the next waits, so none overtakes another. */
  #turns = new Map<string, Promise<void>>();

  /**
   * Creates the service; `graceMs` is how long the last device must stay gone
   * before contacts hear of it (0: at once).
   */
  constructor(
    deps: {
      store: Store;
      presence: Presence;
      users: UserService;
      notifier: Notifier;
      logger: Logger;
    },
    options: { graceMs?: number } = {},
  ) {
    this.#store = deps.store;
    this.#presence = deps.presence;
    this.#users = deps.users;
    this.#notifier = deps.notifier;
    this.#logger = deps.logger;
    this.#leaving = new Departures(options.graceMs ?? 0, (userId) => this.#announce(userId));
  }

  /** How long the last device must stay gone before contacts hear of it. */
  get graceMs(): number {
    return this.#leaving.graceMs;
  }

  /**
   * Records a connected device; the first one tells contacts `user:online`,
   * unless the user hides their presence (`hidden`, as the handshake read the user).
   */
  async connect(userId: string, deviceId: string, options: { hidden: boolean }): Promise<void> {
    if (!await this.#presence.connect(userId, deviceId) || options.hidden) return;
    await this.#inTurn(userId, async () => {
      // Back within the grace: the departure is not told. Contacts hear "online" all the
      // same: they may have heard "offline" from another node this user was on meanwhile.
      this.#leaving.take(userId);
      await this.#tellContacts(userId, true, new Date().toISOString());
    });
  }

  /**
   * Forgets a device; the last one stores `lastSeen`, and contacts are told
   * `user:offline` once the grace has passed with no device back.
   */
  async disconnect(userId: string, deviceId: string): Promise<void> {
    if (!await this.#presence.disconnect(userId, deviceId)) return;
    const lastSeen = await this.#storeLastSeen(userId);
    if (!lastSeen) return; // hidden
    this.#leaving.wait(userId, { lastSeen });
  }

  /** Tells contacts now of every departure still in its grace: the node is stopping. */
  async flush(): Promise<void> {
    await Promise.all(this.#leaving.all().map(([userId]) => this.#announce(userId)));
  }

  /** Announces users whose devices expired because their node died. */
  async sweep(): Promise<void> {
    const users = await this.#presence.sweep();
    if (users.length > 0) this.#logger.info("presence expired", { users: users.length });
    await Promise.all(users.map((userId) => this.#wentOffline(userId)));
  }

  /**
   * Hides the user's presence from everyone (`hidden`) or shows it again;
   * idempotent. Contacts are told of a change at once: on hiding while online,
   * that the user went offline (their pages drop the last seen on their next
   * read); on showing, that the user is online, or when they were last seen.
   */
  async setHidden(userId: string, hidden: boolean): Promise<void> {
    const before = await this.#store.users.get(userId);
    const user = await this.#store.users.update(userId, { hidePresence: hidden || undefined });
    if (!before || !user || Boolean(before.hidePresence) === hidden) return;
    const online = (await this.#presence.online([userId])).has(userId);
    const now = new Date().toISOString();
    // Hidden while online, or gone within the grace: contacts saw them online, so they
    // seem to go now.
    const seenOnline = this.#leaving.take(userId) !== undefined || online;
    if (hidden) return seenOnline ? await this.#tellContacts(userId, false, now) : undefined;
    if (online) await this.#tellContacts(userId, true, now);
    else if (user.lastSeen) await this.#tellContacts(userId, false, user.lastSeen);
  }

  /**
   * Those of `userIds` who show their presence, read now: whoever has a chat
   * open is only shown to its other members when they do.
   */
  async shown(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const users = await this.#store.users.getMany(userIds);
    return new Set(users.filter((user) => !user.hidePresence).map((user) => user.id));
  }

  /** Announces a departure whose grace is over, unless the user came back on another node. */
  #announce(userId: string): Promise<void> {
    const leaving = this.#leaving.get(userId);
    if (!leaving) return Promise.resolve();
    return this.#inTurn(userId, async () => {
      if (this.#leaving.get(userId) !== leaving) return; // back here meanwhile, or left again
      this.#leaving.take(userId);
      // Back on another node, whose connect told the contacts: they never saw the user go.
      if ((await this.#presence.online([userId])).has(userId)) return;
      // Hidden since, on a node that could not tell (the user was gone): they seem to go
      // now, as when a user hides while online, and their last seen stays theirs.
      const hidden = (await this.#store.users.get(userId))?.hidePresence;
      await this.#tellContacts(userId, false, hidden ? new Date().toISOString() : leaving.lastSeen);
    }).catch((error) =>
      this.#logger.warn("cannot announce user:offline", { userId, error: String(error) })
    );
  }

  /** Runs `work` after the user's announcements in progress here. */
  #inTurn(userId: string, work: () => Promise<void>): Promise<void> {
    const turn = (this.#turns.get(userId) ?? Promise.resolve()).then(work, work);
    const kept = turn.catch(() => {});
    this.#turns.set(userId, kept);
    kept.then(() => this.#turns.get(userId) === kept && this.#turns.delete(userId));
    return turn;
  }

  /** Stores when the user was last seen: now. Null for a user who hides their presence. */
  async #storeLastSeen(userId: string): Promise<string | null> {
    const lastSeen = new Date().toISOString();
    const user = await this.#store.users.update(userId, { lastSeen }).catch((error) =>
      this.#logger.warn("cannot store lastSeen", { userId, error: String(error) })
    );
    return user?.hidePresence ? null : lastSeen;
  }

  async #wentOffline(userId: string): Promise<void> {
    const lastSeen = await this.#storeLastSeen(userId);
    if (lastSeen) await this.#tellContacts(userId, false, lastSeen);
  }

  async #tellContacts(userId: string, online: boolean, at: string): Promise<void> {
    const contacts = [...await this.#users.contacts(userId)];
    if (online) this.#notifier.emit(contacts, ServerEvents.userOnline, { userId, at });
    else this.#notifier.emit(contacts, ServerEvents.userOffline, { userId, lastSeen: at });
  }
}
