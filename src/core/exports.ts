/**
 * A copy of a user's data, for them to take away (the right of access and to
 * data portability): their account, friends and blocks, the chats they are in,
 * every message they sent (a deleted one as its tombstone) with its files,
 * their stars and their logins. One record at a time, so a long history is
 * never held whole. Each copy reads and decrypts everything the user sent:
 * `Limits.export` counts them.
 * @module
 */
import type { ExportRecord } from "../protocol/mod.ts";
import type { ChatService } from "./chats.ts";
import type { Limits } from "./limits.ts";
import type { Store } from "./ports.ts";
import type { Principal } from "./auth.ts";
import type { SessionService } from "./sessions.ts";
import type { UserService } from "./users.ts";
import { toMessageView, viewerOf } from "./views.ts";

// Records read from the store per round trip.
const PAGE = 200;

/** Makes copies of users' data. */
export class ExportService {
  #store: Store;
  #users: UserService;
  #chats: ChatService;
  #sessions: SessionService;
  #limits: Limits;

  /** Creates the service over the store, the services it reads through and the limits. */
  constructor(deps: {
    store: Store;
    users: UserService;
    chats: ChatService;
    sessions: SessionService;
    limits: Limits;
  }) {
    this.#store = deps.store;
    this.#users = deps.users;
    this.#chats = deps.chats;
    this.#sessions = deps.sessions;
    this.#limits = deps.limits;
  }

  /**
   * The caller's data, record by record. Counted before the first record, so
   * a caller over the limit gets `rate_limited` rather than half a copy.
   */
  async open(principal: Principal): Promise<AsyncIterable<ExportRecord>> {
    await this.#limits.export(principal.user.id);
    return this.#records(principal);
  }

  async *#records(principal: Principal): AsyncIterable<ExportRecord> {
    const userId = principal.user.id;
    const viewer = viewerOf(principal.user);
    yield { type: "user", user: await this.#users.viewOne(userId, userId) };
    for (const user of await this.#users.friends(userId)) yield { type: "friend", user };
    const { blocked } = await this.#store.users.blocks(userId);
    for (const id of blocked) yield { type: "blocked", userId: id };
    // Every chat at once: the list's pages would each read (and sort) them all again.
    for (const { chat, membership } of await this.#store.chats.listForUser(userId)) {
      yield { type: "chat", chat: await this.#chats.view(chat, membership, viewer) };
    }
    let cursor: string | undefined;
    do {
      const page = await this.#store.messages.listBySender(userId, { cursor, limit: PAGE });
      for (const message of page.messages) {
        yield { type: "message", message: toMessageView(message, false, viewer) };
        // The files the user sent are theirs too: one at a time, each after its message.
        for (const file of message.attachments ?? []) {
          const bytes = await this.#store.files.read(file.id);
          if (!bytes) continue; // removed since the message was read
          const data = bytes.toBase64();
          yield { type: "file", messageId: message.id, file, data };
        }
      }
      cursor = page.cursor ?? undefined;
    } while (cursor);
    do {
      const stars = await this.#store.stars.list(userId, { limit: PAGE, before: cursor });
      for (const { messageId, starredAt } of stars) yield { type: "star", messageId, starredAt };
      cursor = stars.length === PAGE ? stars.at(-1)!.id : undefined;
    } while (cursor);
    for (const session of await this.#sessions.list(principal)) yield { type: "session", session };
  }
}
