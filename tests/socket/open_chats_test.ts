/**
 * Who has a chat open, through real sockets: a user joins with their first
 * device and leaves with their last; a device that disconnects leaves after the
 * presence grace, so a reload tells the room nothing, and the user's departure
 * is told once. Across nodes the same, on three nodes on Redis: a reload on
 * another node tells nothing, a departure waiting on two nodes is told once, a
 * stopping node tells the departures still in their grace after asking the
 * others who stays. Nodes ask each other by user id and publish no token; one
 * that does not answer is left out.
 */
import assert from "node:assert/strict";
import { api, connect, directChat, emitAck, register, sleep, until } from "../_helpers/client.ts";
import type { TestSocket } from "../_helpers/sockets.ts";
import { startTestServer } from "../_helpers/server.ts";
import { REDIS_URL, serviceUp, uniquePrefix } from "../_helpers/services.ts";
import { Redis } from "ioredis";
import { createAdapter } from "@socket.io/redis-adapter";
import { listenIo } from "../_helpers/bare_io.ts";

/** What `watcher` heard of `userId` in the chat's room: "joined" and "left", in order. */
const heard = (watcher: TestSocket, userId: string) =>
  watcher.events
    .filter(([e, p]) =>
      (e === "user:joined" || e === "user:left") && (p as { userId: string }).userId === userId
    )
    .map(([e]) => e.slice("user:".length));

Deno.test("open chats: devices and reloads", async (t) => {
  const server = await startTestServer({ PRESENCE_GRACE_MS: "1000" });
  const { url } = server;
  const [alice, bob] = [await register(url, "alice"), await register(url, "bob")];
  const chatId = await directChat(url, alice, bob);
  const aliceSocket = await connect(url, alice.token);
  await emitAck(aliceSocket, "chat:join", { chatId });
  const bobHeard = () => heard(aliceSocket, bob.user.id);
  const open = async (socket: TestSocket) =>
    (await emitAck(socket, "chat:join", { chatId })).activeUserIds.sort();
  const both = [alice.user.id, bob.user.id].sort();

  try {
    await t.step("another device is no arrival, and its closing no departure", async () => {
      const [phone, laptop] = [await connect(url, bob.token), await connect(url, bob.token)];
      assert.deepEqual(await open(phone), both);
      await until("joined", () => bobHeard().length === 1);
      assert.deepEqual(await open(laptop), both);
      assert.deepEqual(await open(laptop), both, "the same device again");
      const left = await emitAck(laptop, "chat:leave", { chatId });
      assert.deepEqual(left.activeUserIds.sort(), both, "still open on the phone");
      await sleep(300);
      assert.deepEqual(bobHeard(), ["joined"], "the laptop's join is no news, nor its leave");
      const last = await emitAck(phone, "chat:leave", { chatId });
      assert.deepEqual(last.activeUserIds, [alice.user.id]);
      await until("left", () => bobHeard().at(-1) === "left");
      phone.close();
      laptop.close();
    });

    await t.step("a reload within the grace tells the room nothing", async () => {
      const tab = await connect(url, bob.token);
      await open(tab);
      await until("joined", () => bobHeard().at(-1) === "joined");
      const before = bobHeard().length;
      tab.close();
      await sleep(200);
      const reloaded = await connect(url, bob.token);
      assert.deepEqual(await open(reloaded), both);
      await sleep(1500); // past the grace of the first tab's departure
      assert.equal(bobHeard().length, before, "neither left nor joined");
      reloaded.close();
      await sleep(500);
      assert.equal(bobHeard().length, before, "not yet: in the grace");
      await until("left after the grace", () => bobHeard().at(-1) === "left");
      assert.equal(bobHeard().length, before + 1);
    });

    await t.step("a departure in its grace is told once, by the last device", async () => {
      const [phone, laptop] = [await connect(url, bob.token), await connect(url, bob.token)];
      await open(phone);
      await open(laptop);
      await until("joined", () => bobHeard().at(-1) === "joined");
      const before = bobHeard().length;
      phone.close(); // its departure waits; the laptop still has the chat open
      await sleep(200);
      await emitAck(laptop, "chat:leave", { chatId });
      await until("left", () => bobHeard().length === before + 1);
      await sleep(1300); // past the phone's grace
      assert.deepEqual(bobHeard().slice(before), ["left"]);
      laptop.close();
    });

    await t.step("a burst of joins: each told, the whole list at once and once more", async () => {
      const members = await Promise.all([1, 2, 3, 4, 5, 6].map(() => register(url, "member")));
      const group = (await api(url, "POST", "/api/chats", {
        token: alice.token,
        body: { type: "group", name: "burst", participantIds: members.map((m) => m.user.id) },
      })).body.chat.id;
      await emitAck(aliceSocket, "chat:join", { chatId: group });
      const lists = () =>
        aliceSocket.events.filter(([e, p]) =>
          e === "chat:activeUsers" && (p as { chatId: string }).chatId === group
        ).map(([, p]) => (p as { activeUserIds: string[] }).activeUserIds.toSorted());
      await sleep(400); // alice's own join's window is over
      const before = lists().length;
      const sockets = await Promise.all(members.map((m) => connect(url, m.token)));
      await Promise.all(sockets.map((s) => emitAck(s, "chat:join", { chatId: group })));
      const everyone = [alice.user.id, ...members.map((m) => m.user.id)].sort();
      await until("the whole list", () => lists().at(-1)?.join() === everyone.join());
      await sleep(400);
      const joined = aliceSocket.events.filter(([e, p]) =>
        e === "user:joined" && (p as { userId: string }).userId !== alice.user.id &&
        (p as { chatId: string }).chatId === group
      );
      assert.equal(joined.length, 6, "each member's join told");
      // At once and at the window's end: two, or three if the joins straddled a window's end.
      const told = lists().length - before;
      assert.ok(told >= 2 && told <= 3, `${told} lists for six joins`);
      assert.deepEqual(lists().at(-1), everyone);
      for (const socket of sockets) socket.close();
    });
  } finally {
    aliceSocket.close();
    await server.close();
  }
});

Deno.test({
  name: "open chats: across nodes, and at a node's stop",
  ignore: !await serviceUp("Redis", REDIS_URL),
  fn: async (t) => {
    const dataDir = await Deno.makeTempDir({ prefix: "open-chats-" });
    const env = { REDIS_URL, KEY_PREFIX: uniquePrefix(), DATA_DIR: dataDir };
    const a = await startTestServer({ ...env, PRESENCE_GRACE_MS: "1000" });
    // C and D wait a minute: only their stop can tell a departure in time.
    const slow = { ...env, PRESENCE_GRACE_MS: "60000" };
    type Node = Awaited<ReturnType<typeof startTestServer>> | null;
    let [c, d]: Node[] = [await startTestServer(slow), await startTestServer(slow)];
    const [alice, bob] = [await register(a.url, "alice"), await register(a.url, "bob")];
    const chatId = await directChat(a.url, alice, bob);
    const aliceSocket = await connect(a.url, alice.token);
    await emitAck(aliceSocket, "chat:join", { chatId });
    const bobHeard = () => heard(aliceSocket, bob.user.id);
    const visit = async (url: string) => {
      const socket = await connect(url, bob.token);
      await emitAck(socket, "chat:join", { chatId });
      return socket;
    };
    try {
      await t.step("nodes ask each other by user id: no token goes through Redis", async () => {
        const [carol, dave] = [await register(a.url, "carol"), await register(a.url, "dave")];
        const theirs = await directChat(a.url, carol, dave);
        const published: string[] = [];
        const tap = new Redis(REDIS_URL);
        tap.on("pmessage", (_pattern, _channel, message) => published.push(message));
        await tap.psubscribe(`${env.KEY_PREFIX}socket.io*`);
        const [onA, onC] = [await connect(a.url, carol.token), await connect(c!.url, dave.token)];
        try {
          const join = (s: TestSocket) => emitAck(s, "chat:join", { chatId: theirs });
          assert.deepEqual((await join(onA)).activeUserIds, [carol.user.id]);
          const both = [carol.user.id, dave.user.id].sort();
          assert.deepEqual((await join(onC)).activeUserIds.sort(), both, "C asked A");
          assert.deepEqual((await emitAck(onA, "chat:leave", { chatId: theirs })).activeUserIds, [
            dave.user.id,
          ], "A asked C");
          await sleep(100);
          assert.ok(published.length > 0, "the nodes spoke through Redis");
          for (const token of [carol.token, dave.token]) {
            assert.ok(!published.some((m) => m.includes(token)), "a token was published");
          }
        } finally {
          onA.close();
          onC.close();
          tap.disconnect();
        }
      });

      await t.step("a reload on another node tells the room nothing", async () => {
        const onA = await visit(a.url);
        await until("joined", () => bobHeard().length === 1);
        onA.close(); // A's grace begins
        await sleep(100);
        const onC = await visit(c!.url); // C asks: A takes its departure back
        await sleep(1500); // past A's grace
        assert.deepEqual(bobHeard(), ["joined"], "neither left nor joined again");
        onC.close();
      });

      await t.step("a stopping node tells the departures in their grace", async () => {
        await sleep(300);
        assert.equal(bobHeard().length, 1, "in C's grace of a minute");
        await c!.close();
        c = null;
        await until("left from C's stop", () => bobHeard().length === 2);
        assert.equal(bobHeard()[1], "left");
        await sleep(300);
        assert.equal(bobHeard().length, 2, "once");
      });

      await t.step("a stopping node asks the others who stays", async () => {
        const onA = await visit(a.url);
        await until("joined on A", () => bobHeard().length === 3);
        (await visit(d!.url)).close(); // open on A already: no news from D
        await sleep(100);
        await d!.close(); // D's stop finds him on A
        d = null;
        await sleep(300);
        assert.deepEqual(bobHeard().slice(2), ["joined"], "neither joined again nor left");
        onA.close();
        await until("left after A's grace", () => bobHeard().length === 4);
        assert.equal(bobHeard()[3], "left");
      });

      await t.step("a departure waiting on two nodes is told once", async () => {
        const e = await startTestServer(slow);
        try {
          const onA = await visit(a.url);
          await until("joined", () => bobHeard().length === 5);
          (await visit(e.url)).close(); // E's departure waits a minute
          await sleep(100);
          onA.close(); // A's waits a second; then A asks E, which takes its own back
          await until("left", () => bobHeard().length === 6);
        } finally {
          await e.close(); // nothing left for E to tell
        }
        await sleep(300);
        assert.deepEqual(bobHeard().slice(4), ["joined", "left"]);
      });

      await t.step("a node that does not answer is left out, after the adapter's 5 s", async () => {
        // Subscribed as a node, but with no handlers of ours: it never answers.
        const pub = new Redis(REDIS_URL);
        const silent = await listenIo({
          adapter: createAdapter(pub, pub.duplicate(), { key: `${env.KEY_PREFIX}socket.io` }),
        });
        try {
          const onA = await connect(a.url, bob.token);
          const ack = await emitAck(onA, "chat:join", { chatId });
          assert.equal(ack.ok, true, JSON.stringify(ack));
          assert.deepEqual(ack.activeUserIds.sort(), [alice.user.id, bob.user.id].sort());
          onA.close();
        } finally {
          silent.io.close();
          pub.disconnect();
        }
      });
    } finally {
      aliceSocket.close();
      await c?.close();
      await d?.close();
      await a.close();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
