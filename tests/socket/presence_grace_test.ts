/**
 * The grace before contacts hear that a user left (`PRESENCE_GRACE_MS`), through
 * real sockets: a reload within it tells them no "offline"; a user gone for it
 * is announced with the moment the last device left, while presence and
 * `lastSeen` change at once; each node tells what the others cannot know;
 * hiding within the grace is told at once and only once, and on another node
 * without the last seen; a stopping node announces the departures still in
 * their grace.
 */
import assert from "node:assert/strict";
import { api, connect, directChat, register, settled, sleep, until } from "../_helpers/client.ts";
import type { TestSocket } from "../_helpers/sockets.ts";
import { startTestServer } from "../_helpers/server.ts";
import { REDIS_URL, serviceUp, uniquePrefix } from "../_helpers/services.ts";

/** What `watcher` heard of a user's presence: the offline events, and the last word. */
function presenceOf(watcher: TestSocket) {
  const heard = () => watcher.events.filter(([e]) => e === "user:online" || e === "user:offline");
  return {
    offlines: () => heard().filter(([e]) => e === "user:offline").map(([, p]) => p as never),
    last: () => heard().at(-1)?.[0],
  };
}

Deno.test("presence grace: on one node", async (t) => {
  const server = await startTestServer({ PRESENCE_GRACE_MS: "1000" });
  const { url } = server;
  const [alice, bob] = [await register(url, "alice"), await register(url, "bob")];
  await directChat(url, alice, bob);
  const bobSocket = await connect(url, bob.token);
  const seen = presenceOf(bobSocket);
  const aliceSeen = async () =>
    (await api(url, "GET", `/api/users/${alice.user.id}`, { token: bob.token })).body.user;

  try {
    await t.step("a reload within the grace tells contacts no offline", async () => {
      const tab = await connect(url, alice.token);
      await until("online", () => seen.last() === "user:online");
      tab.close();
      await sleep(200);
      const reloaded = await connect(url, alice.token);
      await settled(reloaded);
      await sleep(1500); // past the grace of the first tab's departure
      assert.deepEqual(seen.offlines(), [], "no offline");
      assert.equal(seen.last(), "user:online");
      reloaded.close();
    });

    await t.step("gone for the grace: told, with when the last device left", async () => {
      const left = new Date().toISOString();
      // Presence and lastSeen change at once: push and the offline queue count on them.
      await until("offline for presence", async () => (await aliceSeen()).isOnline === false);
      const { lastSeen } = await aliceSeen();
      assert.ok(lastSeen >= left, `${lastSeen} >= ${left}`);
      assert.deepEqual(seen.offlines(), [], "not told yet");
      await until("user:offline", () => seen.offlines().length === 1);
      assert.deepEqual(seen.offlines()[0], { userId: alice.user.id, lastSeen });
    });
  } finally {
    bobSocket.close();
    await server.close();
  }
});

Deno.test({
  name: "presence grace: across nodes, and at a node's stop",
  ignore: !await serviceUp("Redis", REDIS_URL),
  fn: async (t) => {
    const dataDir = await Deno.makeTempDir({ prefix: "grace-" });
    const env = { REDIS_URL, KEY_PREFIX: uniquePrefix(), DATA_DIR: dataDir };
    // Bob is on B, which tells departures at once. C waits a minute: only a hiding or its
    // stop can tell one in time.
    const a = await startTestServer({ ...env, PRESENCE_GRACE_MS: "1000" });
    const b = await startTestServer(env);
    let c: Awaited<ReturnType<typeof startTestServer>> | null = await startTestServer({
      ...env,
      PRESENCE_GRACE_MS: "60000",
    });
    const [alice, bob] = [await register(a.url, "alice"), await register(a.url, "bob")];
    await directChat(a.url, alice, bob);
    const bobSocket = await connect(b.url, bob.token);
    const seen = presenceOf(bobSocket);
    const offlines = () => seen.offlines().length;
    /** Connects alice to a node; closed, her departure is known to presence once it resolves. */
    const visit = async (url: string) => {
      const socket = await connect(url, alice.token);
      await settled(socket);
      return async () => {
        socket.close();
        await until("gone", async () =>
          (await api(b.url, "GET", `/api/users/${alice.user.id}`, {
            token: bob.token,
          })).body.user.isOnline === false);
      };
    };
    const privacy = (url: string, hidePresence: boolean) =>
      api(url, "PUT", "/api/auth/privacy", { token: alice.token, body: { hidePresence } });
    try {
      await t.step("each node tells what the others cannot know", async () => {
        const leaveA = await visit(a.url);
        await until("online", () => seen.last() === "user:online");
        await leaveA(); // A's grace begins
        const leaveB = await visit(b.url);
        await sleep(1500); // past A's grace: A finds her online on B
        assert.equal(offlines(), 0, "no offline while she is on B");
        await leaveB();
        await until("offline from B, at once", () => offlines() === 1);
        const leaveAgain = await visit(a.url);
        await until("online from A", () => seen.last() === "user:online");
        await leaveAgain();
        await until("offline from A", () => offlines() === 2);
      });

      await t.step("hidden within the grace: told at once, and once", async () => {
        const leaveC = await visit(c!.url);
        await until("online", () => seen.last() === "user:online");
        await leaveC();
        await privacy(c!.url, true);
        await until("offline at once", () => offlines() === 3);
        await privacy(c!.url, false); // shown again: offline, with her last seen
        await until("shown", () => offlines() === 4);
      });

      await t.step("hidden on another node within the grace: told, without last seen", async () => {
        const leaveA = await visit(a.url);
        await until("online", () => seen.last() === "user:online");
        await leaveA();
        await privacy(b.url, true); // B cannot tell: she is gone; A's grace tells it
        await until("offline from A", () => offlines() === 5);
        const { lastSeen } = seen.offlines()[4] as { lastSeen: string };
        const stored = (await api(b.url, "GET", "/api/auth/me", { token: alice.token })).body.user;
        assert.ok(lastSeen > stored.lastSeen, "the moment of hiding, not when she left");
        await privacy(b.url, false);
        await until("shown", () => offlines() === 6);
      });

      await t.step("a stopping node tells the departures still in their grace", async () => {
        const leaveC = await visit(c!.url);
        await until("online", () => seen.last() === "user:online");
        await leaveC();
        assert.equal(offlines(), 6, "in C's grace");
        await c!.close();
        c = null;
        await until("offline from C's stop", () => offlines() === 7);
        await sleep(300);
        assert.equal(offlines(), 7, "this departure only");
      });
    } finally {
      bobSocket.close();
      await c?.close();
      await b.close();
      await a.close();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
