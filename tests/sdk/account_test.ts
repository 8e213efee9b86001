/**
 * The SDK's `RestClient.deleteAccount`, against a real server: a wrong password
 * rejects and changes nothing; the right one ends the account, and the partner's
 * `ChatClient` hears of it and is refused with the reason "deleted".
 */
import assert from "node:assert/strict";
import {
  ChatClient,
  ChatClientError,
  type ChatUpdatedEvent,
  RestClient,
} from "../../src/sdk/mod.ts";
import { PASSWORD, registerAll, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("sdk: deleting the account, as the partner's client sees it", async () => {
  const server = await startTestServer();
  const [alice, bob] = await registerAll(server.url, "alice", "bob");
  const [aliceRest, bobRest] = [alice, bob].map((u) => new RestClient(server.url, u.token));
  await aliceRest.addFriend(bob.user.id);
  const chat = await bobRest.directChat(alice.user.id);
  const bobClient = new ChatClient({ url: server.url, token: bob.token }).connect();
  const bobSaw: ChatUpdatedEvent[] = [];
  bobClient.on("participants", (e) => void bobSaw.push(e));
  const refused = (code: string, reason?: string) => (error: ChatClientError) => {
    assert.ok(error instanceof ChatClientError);
    assert.equal(error.code, code);
    if (reason) assert.deepEqual(error.details, { reason });
    return true;
  };
  try {
    await until("bob connected", () => bobClient.connected);
    await assert.rejects(aliceRest.deleteAccount("not it"), refused("forbidden"));
    assert.equal((await aliceRest.me()).id, alice.user.id, "a wrong password changes nothing");
    await aliceRest.deleteAccount(PASSWORD);
    await assert.rejects(aliceRest.me(), refused("unauthorized"));
    await until("bob's participants event", () => bobSaw.length === 1);
    assert.deepEqual(bobSaw[0], { chatId: chat.id, participantIds: [bob.user.id], blocked: false });
    await assert.rejects(bobClient.send(chat.id, "hi"), refused("forbidden", "deleted"));
    const gone = await bobRest.user(alice.user.id);
    assert.equal(gone.deleted, true);
    assert.equal(gone.displayName, "Deleted account");
  } finally {
    bobClient.close();
    await server.close();
  }
});
