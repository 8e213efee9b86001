/**
 * Hiding one's presence through real HTTP and sockets: a user who hides it
 * shows neither online nor last seen to a friend (in the friends list, by id,
 * and in `user:online` / `user:offline`), still sees their own, and is told at
 * once on both sides of a change; a bad body changes nothing.
 */
import assert from "node:assert/strict";
import {
  api,
  directChat,
  emitAck,
  registerAll,
  sleep,
  SocketPool,
  until,
} from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST privacy: a user hides being online and last seen", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob] = await registerAll(url, "alice", "bob");
  assert.equal(
    (await api(url, "POST", `/api/friends/${bob.user.id}`, { token: alice.token })).status,
    204,
  );
  const hide = (hidePresence: unknown, token = alice.token) =>
    api(url, "PUT", "/api/auth/privacy", { token, body: { hidePresence } });
  const aliceAsSeenByBob = async () => {
    const friends = (await api(url, "GET", "/api/friends", { token: bob.token })).body.friends;
    const byId = (await api(url, "GET", `/api/users/${alice.user.id}`, { token: bob.token })).body;
    const listed = friends.find((f: { id: string }) => f.id === alice.user.id);
    assert.deepEqual(
      [listed.isOnline, listed.lastSeen],
      [byId.user.isOnline, byId.user.lastSeen],
      "the list and the lookup agree",
    );
    return { isOnline: listed.isOnline, lastSeen: listed.lastSeen };
  };
  const pool = new SocketPool(url);
  const heard = (socket: { events: [string, unknown][] }) =>
    socket.events.filter(([name]) => name === "user:online" || name === "user:offline")
      .map(([name]) => name);

  try {
    const bobSocket = await pool.open(bob.token);

    await t.step("shown by default", async () => {
      const laptop = await pool.open(alice.token);
      await until("bob heard alice come", () => heard(bobSocket).length === 1);
      assert.deepEqual(await aliceAsSeenByBob(), { isOnline: true, lastSeen: null });
      laptop.close();
      await until("bob heard alice go", () => heard(bobSocket).length === 2);
    });

    await t.step("hidden: the friend sees nothing, and hears nothing more", async () => {
      const res = await hide(true);
      assert.equal(res.status, 200);
      assert.equal(res.body.user.hidePresence, true, "her own view says so");
      assert.deepEqual(await aliceAsSeenByBob(), { isOnline: undefined, lastSeen: undefined });
      const laptop = await pool.open(alice.token);
      const me = (await api(url, "GET", "/api/auth/me", { token: alice.token })).body.user;
      assert.equal(me.isOnline, true, "she still sees her own");
      laptop.close();
      await sleep(200);
      assert.deepEqual(heard(bobSocket), ["user:online", "user:offline"], "no more events");
      assert.deepEqual(await aliceAsSeenByBob(), { isOnline: undefined, lastSeen: undefined });
    });

    await t.step("shown again: the friend is told at once", async () => {
      const laptop = await pool.open(alice.token);
      const res = await hide(false);
      assert.equal(res.body.user.hidePresence, undefined);
      await until("bob heard alice online", () => heard(bobSocket).length === 3);
      assert.equal(heard(bobSocket)[2], "user:online");
      assert.equal((await aliceAsSeenByBob()).isOnline, true);
      assert.equal((await hide(false)).status, 200, "again: fine");
      await sleep(100);
      assert.equal(heard(bobSocket).length, 3, "and no one told of a non-change");
      laptop.close();
      await until("bob heard alice go", () => heard(bobSocket).length === 4);
    });

    await t.step("hiding while online tells the friend she went", async () => {
      const laptop = await pool.open(alice.token);
      await until("bob heard alice online", () => heard(bobSocket).length === 5);
      await hide(true);
      await until("bob heard alice offline", () => heard(bobSocket).length === 6);
      assert.equal(heard(bobSocket)[5], "user:offline");
      laptop.close();
    });

    await t.step("hidden: having a chat open shows nothing either", async () => {
      const chatId = await directChat(url, alice, bob);
      const names = ["user:joined", "user:left", "chat:activeUsers"];
      assert.deepEqual((await emitAck(bobSocket, "chat:join", { chatId })).activeUserIds, [
        bob.user.id,
      ]);
      // What bob hears of the room from now on (his own join came before its answer).
      const from = bobSocket.events.length;
      const roomEvents = () =>
        bobSocket.events.slice(from).filter(([name]) => names.includes(name));
      const laptop = await pool.open(alice.token);
      const joined = await emitAck(laptop, "chat:join", { chatId });
      assert.deepEqual(joined.activeUserIds, [bob.user.id], "she is not listed, even to herself");
      await until("bob heard the room again", () => roomEvents().length === 1);
      assert.deepEqual(roomEvents().map(([name]) => name), ["chat:activeUsers"]);
      assert.deepEqual(roomEvents()[0][1], { chatId, activeUserIds: [bob.user.id] });
      await emitAck(laptop, "chat:leave", { chatId });
      await until("bob heard the room after she left", () => roomEvents().length === 2);
      assert.ok(
        !roomEvents().some(([name]) => name !== "chat:activeUsers"),
        "never joined nor left",
      );

      // Shown again while the chat is open: the next join lists her, as it is now.
      await hide(false);
      const shown = await emitAck(laptop, "chat:join", { chatId });
      assert.deepEqual(shown.activeUserIds.sort(), [alice.user.id, bob.user.id].sort());
      await until(
        "bob heard her join",
        () => roomEvents().some(([name]) => name === "user:joined"),
      );
      const joinedAt = roomEvents().findIndex(([name]) => name === "user:joined");
      await hide(true);
      laptop.close();
      // The lists are sent at most twice per 250 ms: wait for the one without her.
      const lastList = () => roomEvents().slice(joinedAt + 1).at(-1)?.[1];
      await until("bob heard the room after she went", () => {
        return JSON.stringify(lastList()) ===
          JSON.stringify({ chatId, activeUserIds: [bob.user.id] });
      });
      await sleep(300); // past the list's window
      const told = roomEvents().slice(joinedAt).map(([name]) => name);
      assert.deepEqual(
        told.filter((n) => n !== "chat:activeUsers"),
        ["user:joined"],
        "no user:left",
      );
    });

    await t.step("a bad body changes nothing", async () => {
      for (const body of ["yes", undefined, 1]) {
        const res = await hide(body);
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, "invalid_payload");
      }
      const me = (await api(url, "GET", "/api/auth/me", { token: alice.token })).body.user;
      assert.equal(me.hidePresence, true);
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
