/**
 * The SDK's REST client on people, against the real server: a user by id,
 * friends added and removed, blocks listed with the reason of their refusals,
 * every chat past the first page, and the profile.
 * @module
 */
import assert from "node:assert/strict";
import { RestClient } from "../../src/sdk/mod.ts";
import { registerAll, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { partners, refused } from "./_helpers.ts";

Deno.test("sdk rest: a user by id, and a friend added and removed", async () => {
  const server = await startTestServer();
  const [alice, bob] = await registerAll(server.url, "alice", "bob");
  const rest = new RestClient(server.url, alice.token);
  try {
    assert.equal((await rest.user(bob.user.id)).username, bob.user.username);
    await assert.rejects(rest.user("nobody"), refused("not_found"));
    await rest.addFriend(bob.user.id);
    assert.deepEqual((await rest.friends()).map((f) => f.id), [bob.user.id]);
    await rest.removeFriend(bob.user.id);
    assert.deepEqual(await rest.friends(), []);
    assert.deepEqual(await new RestClient(server.url, bob.token).friends(), [], "both ways");
  } finally {
    await server.close();
  }
});

Deno.test("sdk: a block is listed, refuses sends with its reason, and lifts", async () => {
  const server = await startTestServer();
  const { alice, bob, aliceRest, bobRest, chat, bobClient, bobSaw } = await partners(server.url);
  const blocked = refused("forbidden", "blocked");
  try {
    await until("bob connected", () => bobClient.connected);
    await aliceRest.block(bob.user.id);
    assert.deepEqual((await aliceRest.blocks()).map((u) => u.id), [bob.user.id]);
    await until("bob's participants event", () => bobSaw.length === 1);
    assert.equal(bobSaw[0].blocked, true);
    assert.equal(bobSaw[0].chatId, chat.id);
    await assert.rejects(bobClient.send(chat.id, "hi"), blocked);
    await assert.rejects(bobRest.directChat(alice.user.id), blocked);
    await assert.rejects(aliceRest.block("nobody"), refused("not_found"));
    await aliceRest.unblock(bob.user.id);
    assert.deepEqual(await aliceRest.blocks(), []);
    await until("bob hears of the unblock", () => bobSaw.length === 2);
    assert.equal(bobSaw[1].blocked, false);
    assert.equal((await bobClient.send(chat.id, "hi")).seq, 1);
  } finally {
    bobClient.close();
    await server.close();
  }
});

Deno.test("sdk rest: every chat, past the first page of 100", async () => {
  const server = await startTestServer();
  const [alice, bob] = await registerAll(server.url, "alice", "bob");
  const rest = new RestClient(server.url, alice.token);
  try {
    const created: string[] = [];
    for (let i = 0; i < 103; i++) {
      created.push((await rest.createGroup(`g${i}`, [bob.user.id])).id);
    }
    const chats = await rest.chats();
    assert.equal(chats.length, 103, "each once");
    assert.deepEqual(new Set(chats.map((c) => c.id)), new Set(created));
    // Newest activity first (chats created in one millisecond may come in either order).
    const times = chats.map((c) => c.createdAt);
    assert.deepEqual(times, times.toSorted().toReversed());
  } finally {
    await server.close();
  }
});

Deno.test("sdk rest: the profile's display name and avatar", async () => {
  const server = await startTestServer();
  const [alice] = await registerAll(server.url, "alice");
  const rest = new RestClient(server.url, alice.token);
  try {
    const avatar = "https://example.com/a.png";
    const user = await rest.updateProfile({ displayName: "Alice A.", avatar });
    assert.equal(user.displayName, "Alice A.");
    assert.equal(user.avatar, avatar);
    assert.equal((await rest.updateProfile({ avatar: null })).avatar, undefined);
    assert.equal((await rest.me()).displayName, "Alice A.", "kept");
    await assert.rejects(rest.updateProfile({ avatar: "not a url" }), refused("invalid_payload"));
  } finally {
    await server.close();
  }
});
