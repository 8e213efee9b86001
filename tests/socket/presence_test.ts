/**
 * Presence through the real socket: online while any device is connected, and
 * only contacts hear about it.
 */
import assert from "node:assert/strict";
import { api, connect, directChat, register, settled, sleep, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("presence over the socket", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob, stranger] = [await register(url), await register(url), await register(url)];
  await directChat(url, alice, bob);
  const bobSocket = await connect(url, bob.token);
  const strangerSocket = await connect(url, stranger.token);
  const seenBy = (token: string) => async () =>
    (await api(url, "GET", `/api/users/${alice.user.id}`, { token })).body.user;

  await t.step("two tabs keep a user online until the last one closes", async () => {
    const tab1 = await connect(url, alice.token);
    await until("user:online", () => bobSocket.events.some(([e]) => e === "user:online"));
    const tab2 = await connect(url, alice.token);
    await settled(tab2);
    tab1.close();
    await sleep(200);
    assert.equal((await seenBy(bob.token)()).isOnline, true, "still online with one tab");
    assert.equal(
      bobSocket.events.filter(([e]) => e === "user:online").length,
      1,
      "first device only",
    );
    assert.ok(!bobSocket.events.some(([e]) => e === "user:offline"));
    tab2.close();
    await until("user:offline", () => bobSocket.events.some(([e]) => e === "user:offline"));
    const offline = bobSocket.events.find(([e]) => e === "user:offline")![1] as {
      userId: string;
      lastSeen: string;
    };
    assert.equal(offline.userId, alice.user.id);
    const view = await seenBy(bob.token)();
    assert.equal(view.isOnline, false);
    assert.equal(view.lastSeen, offline.lastSeen);
  });

  await t.step("strangers get no presence events and no presence fields", async () => {
    assert.equal(strangerSocket.events.filter(([e]) => e.startsWith("user:")).length, 0);
    const view = await seenBy(stranger.token)();
    assert.equal(view.isOnline, undefined);
    assert.equal(view.lastSeen, undefined);
    assert.equal(view.email, undefined);
    assert.equal(view.username, alice.user.username);
  });

  bobSocket.close();
  strangerSocket.close();
  await server.close();
});
