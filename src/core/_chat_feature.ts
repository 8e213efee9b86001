/**
 * What the services of a feature inside chats share: pins, stars and a
 * member's own settings each check membership through the chat service, write
 * to the store and tell the users concerned through the transport.
 * @module
 */
import type { ChatService } from "./chats.ts";
import type { Notifier, Store } from "./ports.ts";

/** The dependencies of a chat feature's service. */
export interface ChatFeatureDeps {
  store: Store;
  chats: ChatService;
  notifier: Notifier;
}

/** The base of a chat feature's service: its store, chat service and transport. */
export class ChatFeature {
  protected readonly store: Store;
  protected readonly chats: ChatService;
  protected readonly notifier: Notifier;

  /** Creates the service over the store, the chat service and the transport. */
  constructor(deps: ChatFeatureDeps) {
    this.store = deps.store;
    this.chats = deps.chats;
    this.notifier = deps.notifier;
  }
}
