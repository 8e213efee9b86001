/**
 * The server's own rounds: an account deletion cut short, and never asked for
 * again, is finished by the server once it is older than a minute; a younger one
 * is left to its request. Real server, real KV file, state written as a crash
 * leaves it.
 */
import assert from "node:assert/strict";
import { api, directChat, logIn, registerAll, until } from "./_helpers/client.ts";
import { markDeleted } from "./_helpers/crash.ts";
import { startTestServer } from "./_helpers/server.ts";

Deno.test("housekeeping: the server finishes account deletions cut short", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "chat-test-" });
  let server = await startTestServer({ DATA_DIR: dataDir });
  const [alice, bob, carol, dave] = await registerAll(server.url, "alice", "bob", "carol", "dave");
  const directId = await directChat(server.url, alice, bob);
  const group = await api(server.url, "POST", "/api/chats", {
    token: carol.token,
    body: { type: "group", name: "club", participantIds: [alice.user.id, bob.user.id] },
  });
  await api(server.url, "POST", `/api/friends/${alice.user.id}`, { token: carol.token });
  const get = (path: string, token: string) => api(server.url, "GET", path, { token });
  const participants = async (chatId: string) =>
    (await get(`/api/chats/${chatId}`, bob.token)).body.chat.participantIds;

  try {
    await t.step("as a crash leaves them: one ten minutes old, one just now", async () => {
      await server.close();
      await markDeleted(dataDir, alice, new Date(Date.now() - 10 * 60_000));
      await markDeleted(dataDir, dave);
      server = await startTestServer({ DATA_DIR: dataDir });
    });

    await t.step("the old one is finished without anyone asking", async () => {
      await until(
        "the direct chat without alice",
        async () => (await participants(directId)).length === 1,
      );
      assert.deepEqual(await participants(directId), [bob.user.id]);
      assert.deepEqual(await participants(group.body.chat.id), [carol.user.id, bob.user.id]);
      assert.deepEqual((await get("/api/friends", carol.token)).body.friends, []);
      const seen = await get(`/api/users/${alice.user.id}`, bob.token);
      assert.equal(seen.body.user.deleted, true);
      assert.equal((await get("/api/auth/me", alice.token)).status, 401, "no login is left");
      const again = await api(server.url, "POST", "/api/auth/register", {
        body: {
          username: alice.user.username,
          email: alice.user.email,
          password: "another password",
        },
      });
      assert.equal(again.status, 201, "its username and email are free");
    });

    await t.step("the young one is left to the device deleting it", async () => {
      assert.equal((await get("/api/auth/me", dave.token)).status, 200);
      assert.equal((await logIn(server.url, dave)).status, 401);
      const taken = await api(server.url, "POST", "/api/auth/register", {
        body: { username: dave.user.username, email: "new@example.com", password: "password1" },
      });
      assert.equal(taken.status, 409, "its username is still held");
    });
  } finally {
    await server.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
