/**
 * Online state of users: online while any device is connected. Only contacts
 * (friends and chat partners) are told when a user comes and goes.
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

  /** Records a connected device; the first one tells contacts `user:online`. */
  async connect(userId: string, deviceId: string): Promise<void> {
    if (!await this.#presence.connect(userId, deviceId)) return;
    const contacts = await this.#users.contacts(userId);
    this.#notifier.emit([...contacts], ServerEvents.userOnline, {
      userId,
      at: new Date().toISOString(),
    });
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

  async #wentOffline(userId: string): Promise<void> {
    const lastSeen = new Date().toISOString();
    await this.#store.users.update(userId, { lastSeen }).catch((error) =>
      this.#logger.warn("cannot store lastSeen", { userId, error: String(error) })
    );
    const contacts = await this.#users.contacts(userId);
    this.#notifier.emit([...contacts], ServerEvents.userOffline, { userId, lastSeen });
  }
}
