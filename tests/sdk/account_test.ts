/**
 * The SDK's `RestClient.deleteAccount`, against a real server: a wrong password
 * rejects and changes nothing; the right one ends the account, and the partner's
 * `ChatClient` hears of it and is refused with the reason "deleted".
 */
import assert from "node:assert/strict";
import { PASSWORD, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { partners, refused } from "./_helpers.ts";

Deno.test("sdk: deleting the account, as the partner's client sees it", async () => {
  const server = await startTestServer();
  const { alice, bob, aliceRest, bobRest, chat, bobClient, bobSaw } = await partners(server.url);
  try {
    await until("bob connected", () => bobClient.connected);
    await assert.rejects(aliceRest.deleteAccount("not it"), refused("forbidden"));
    assert.equal((await aliceRest.me()).id, alice.user.id, "a wrong password changes nothing");
    await aliceRest.deleteAccount(PASSWORD);
    await assert.rejects(aliceRest.me(), refused("unauthorized"));
    await until("bob's participants event", () => bobSaw.length === 1);
    assert.deepEqual(bobSaw[0], {
      chatId: chat.id,
      participantIds: [bob.user.id],
      blocked: false,
      version: 1,
    });
    await assert.rejects(bobClient.send(chat.id, "hi"), refused("forbidden", "deleted"));
    const gone = await bobRest.user(alice.user.id);
    assert.equal(gone.deleted, true);
    assert.equal(gone.displayName, "Deleted account");
  } finally {
    bobClient.close();
    await server.close();
  }
});
