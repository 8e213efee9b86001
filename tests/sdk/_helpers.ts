/**
 * What the SDK tests share: a matcher for refusals, and two friends in a direct
 * chat with the partner's client listening.
 * @module
 */
import assert from "node:assert/strict";
import {
  ChatClient,
  ChatClientError,
  type ChatUpdatedEvent,
  type ChatView,
  RestClient,
} from "../../src/sdk/mod.ts";
import { registerAll, type TestUser } from "../_helpers/client.ts";

/**
 * For `assert.rejects`: a `ChatClientError` with `code`, and with
 * `details.reason` when `reason` is given.
 */
export const refused = (code: string, reason?: string) => (error: ChatClientError) => {
  assert.ok(error instanceof ChatClientError);
  assert.equal(error.code, code);
  if (reason) assert.deepEqual(error.details, { reason });
  return true;
};

/** Alice and Bob, friends with a direct chat; Bob's client records `participants` events. */
export interface Partners {
  alice: TestUser;
  bob: TestUser;
  aliceRest: RestClient;
  bobRest: RestClient;
  chat: ChatView;
  bobClient: ChatClient;
  bobSaw: ChatUpdatedEvent[];
}

/** Registers the pair on the server at `url` and connects Bob's client (close it after). */
export async function partners(url: string): Promise<Partners> {
  const [alice, bob] = await registerAll(url, "alice", "bob");
  const [aliceRest, bobRest] = [alice, bob].map((u) => new RestClient(url, u.token));
  await aliceRest.addFriend(bob.user.id);
  const chat = await bobRest.directChat(alice.user.id);
  const bobClient = new ChatClient({ url, token: bob.token }).connect();
  const bobSaw: ChatUpdatedEvent[] = [];
  bobClient.on("participants", (e) => void bobSaw.push(e));
  return { alice, bob, aliceRest, bobRest, chat, bobClient, bobSaw };
}
