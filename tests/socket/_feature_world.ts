// deno-lint-ignore-file no-explicit-any -- tests read arbitrary JSON answers
/**
 * What the chat feature steps share: a server, three users, their direct chat,
 * and Alice's socket.
 * @module
 */
import type { TestSocket, TestUser } from "../_helpers/client.ts";

/** The server and users one run of the feature suite works with. */
export interface FeatureWorld {
  url: string;
  alice: TestUser;
  bob: TestUser;
  carol: TestUser;
  /** The direct chat of Alice and Bob. */
  chatId: string;
  /** Alice's socket, open throughout. */
  a: TestSocket;
  /** A chat's history as `token`'s user reads it over REST (the direct chat by default). */
  history(token: string, chatId?: string): Promise<any[]>;
}

/** The payloads of the events named `name` that a socket got, in order. */
export const event = (t: TestSocket, name: string): any[] =>
  t.events.filter(([e]) => e === name).map(([, p]) => p as any);
