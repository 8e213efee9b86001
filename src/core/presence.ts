/**
 * Online state of users: online while any device is connected. Only contacts
 * (friends and chat partners) are told when a user comes and goes, and nobody
 * while the user hides their presence (`setHidden`).
 * @module
 */
import { ServerEvents } from "../protocol/mod.ts";
import type { Logger, Notifier, Presence, Store } from "./ports.ts";
import type { UserService } from "./users.ts";

/** Tracks devices and tells contacts about a user's first and last device. */
export class PresenceService {
  #store: Store;
  #presence: Presence;
  #users: UserService;
  #notifier: Notifier;
  #logger: Logger;

  /** Creates the service. */
  constructor(
    deps: {
      store: Store;
      presence: Presence;
      users: UserService;
      notifier: Notifier;
      logger: Logger;
    },
  ) {
    this.#store = deps.store;
    this.#presence = deps.presence;
    this.#users = deps.users;
    this.#notifier = deps.notifier;
    this.#logger = deps.logger;
  }

  /**
   * Records a connected device; the first one tells contacts `user:online`,
   * unless the user hides their presence (`hidden`, as the handshake read the user).
   */
  async connect(userId: string, deviceId: string, options: { hidden: boolean }): Promise<void> {
    if (!await this.#presence.connect(userId, deviceId) || options.hidden) return;
    await this.#tellContacts(userId, true, new Date().toISOString());
  }

  /** Forgets a device; the last one stores `lastSeen` and tells contacts `user:offline`. */
  async disconnect(userId: string, deviceId: string): Promise<void> {
    if (await this.#presence.disconnect(userId, deviceId)) await this.#wentOffline(userId);
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
    // Hidden while online: contacts saw them online, so they seem to go now.
    if (hidden) return online ? await this.#tellContacts(userId, false, now) : undefined;
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

  async #wentOffline(userId: string): Promise<void> {
    const lastSeen = new Date().toISOString();
    const user = await this.#store.users.update(userId, { lastSeen }).catch((error) =>
      this.#logger.warn("cannot store lastSeen", { userId, error: String(error) })
    );
    if (!user?.hidePresence) await this.#tellContacts(userId, false, lastSeen);
  }

  async #tellContacts(userId: string, online: boolean, at: string): Promise<void> {
    const contacts = [...await this.#users.contacts(userId)];
    if (online) this.#notifier.emit(contacts, ServerEvents.userOnline, { userId, at });
    else this.#notifier.emit(contacts, ServerEvents.userOffline, { userId, lastSeen: at });
  }
}
