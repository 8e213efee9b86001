/**
 * Two server processes behind no balancer, sharing Redis, RabbitMQ and one
 * Deno KV file (its atomic checks hold across processes on one host): delivery,
 * devices, presence and logins across them. A node killed mid-drain is in
 * `node_crash_test.ts`.
 */
import assert from "node:assert/strict";
import {
  api,
  connect,
  directChat,
  emitAck,
  logIn,
  PASSWORD,
  register,
  settled,
  sleep,
  type TestSocket,
  until,
} from "../_helpers/client.ts";
import { servicesUp, twoNodes } from "./_two_nodes.ts";

const seqs = (t: TestSocket) => t.received.map((m) => m.seq);

Deno.test({
  name: "two nodes share delivery and presence",
  ignore: !servicesUp,
  fn: async (t) => {
    const { a, b, dataDir } = await twoNodes();
    const [alice, bob, carol] = [
      await register(a.url),
      await register(b.url),
      await register(a.url),
    ];
    const chatId = await directChat(a.url, alice, bob);
    await api(a.url, "POST", `/api/friends/${carol.user.id}`, { token: bob.token });

    await t.step("sender on one node, recipient on the other, live", async () => {
      const sender = await connect(a.url, alice.token);
      const recipient = await connect(b.url, bob.token);
      // Bob's first drain is over: only a ring from node A can bring him the next message.
      await settled(recipient);
      const ack = await emitAck(sender, "message:send", {
        chatId,
        content: "across",
        clientMsgId: "x1",
      });
      await until("bob gets it on node B", () => recipient.received.length === 1);
      assert.equal(recipient.received[0].id, ack.message.id);
      assert.equal(recipient.received[0].isNew, true);
      await until(
        "alice's tick crosses back",
        () => sender.statuses.some((s) => s.status === "delivered"),
      );
      sender.close();
      recipient.close();
    });

    await t.step("sent on one node while offline, drained on the other", async () => {
      const sender = await connect(a.url, alice.token);
      for (let i = 2; i <= 4; i++) {
        await emitAck(sender, "message:send", { chatId, content: `o${i}`, clientMsgId: `x${i}` });
      }
      const recipient = await connect(b.url, bob.token);
      await until("backlog on node B", () => recipient.received.length === 3);
      assert.deepEqual(seqs(recipient), [2, 3, 4]);
      assert.ok(recipient.received.every((m) => m.isNew === false));
      sender.close();
      recipient.close();
    });

    await t.step("a user's devices on two nodes see each other's sends and reads", async () => {
      const [tabA, tabB] = [await connect(a.url, alice.token), await connect(b.url, alice.token)];
      await Promise.all([settled(tabA), settled(tabB)]);
      const copies = (tab: TestSocket) =>
        tab.events.filter(([e]) => e === "message:sent").map(([, m]) => (m as { id: string }).id);
      const sent = await emitAck(tabA, "message:send", { chatId, content: "x", clientMsgId: "d1" });
      await until("node B's tab gets the copy", () => copies(tabB).length === 1);
      assert.equal(copies(tabB)[0], sent.message.id);
      // Over REST (node B) every tab gets one; node A's tab got none before it.
      const rest = await api(b.url, "POST", `/api/chats/${chatId}/messages`, {
        token: alice.token,
        body: { content: "y" },
      });
      await until("node A's tab gets the REST copy", () => copies(tabA).length === 1);
      assert.deepEqual(copies(tabA), [rest.body.message.id]);
      await emitAck(tabB, "message:markRead", { chatId, upToSeq: 4 });
      await until(
        "node A's tab hears the read",
        () =>
          tabA.events.some(([e, p]) =>
            e === "chat:read" && (p as { upToSeq: number }).upToSeq === 4
          ),
      );
      tabA.close();
      tabB.close();
    });

    await t.step("a user with a tab on each node stays online until both close", async () => {
      const watcher = await connect(a.url, carol.token);
      const tabA = await connect(a.url, bob.token);
      const tabB = await connect(b.url, bob.token);
      await Promise.all([settled(tabA), settled(tabB)]);
      await until("online", () => watcher.events.some(([e]) => e === "user:online"));
      // Only offline events about disconnects from now on count: the previous step's may still
      // be on their way to the watcher.
      const since = new Date().toISOString();
      const offlineSince = () =>
        watcher.events.some(([e, p]) =>
          e === "user:offline" && (p as { lastSeen: string }).lastSeen >= since
        );
      tabA.close();
      await sleep(300);
      const seen = await api(a.url, "GET", `/api/users/${bob.user.id}`, { token: carol.token });
      assert.equal(seen.body.user.isOnline, true, "the tab on node B keeps bob online");
      assert.ok(!offlineSince(), "closing one of two tabs is not going offline");
      tabB.close();
      await until("offline", offlineSince);
      watcher.close();
    });

    await t.step("a login ended on one node, and a group joined by link on the other", async () => {
      const tablet = (await logIn(b.url, alice)).body.token;
      const tabletB = await connect(b.url, tablet);
      const sessions = (await api(a.url, "GET", "/api/auth/sessions", { token: alice.token })).body
        .sessions as { id: string; current: boolean }[];
      assert.equal(sessions.length, 2, "both logins, whichever node made them");
      const other = sessions.find((s) => !s.current)!;
      const ended = await api(a.url, "DELETE", `/api/auth/sessions/${other.id}`, {
        token: alice.token,
      });
      assert.equal(ended.status, 204);
      await until(
        "the tablet's socket on node B dropped",
        () => tabletB.disconnectReason !== undefined,
      );
      assert.equal((await api(b.url, "GET", "/api/auth/me", { token: tablet })).status, 401);

      const watcher = await connect(a.url, alice.token);
      await settled(watcher);
      const group = (await api(a.url, "POST", "/api/chats", {
        token: alice.token,
        body: { type: "group", name: "nodes", participantIds: [bob.user.id] },
      })).body.chat.id;
      const code = (await api(a.url, "POST", `/api/chats/${group}/invite`, { token: alice.token }))
        .body.invite.code;
      const joined = await api(b.url, "POST", `/api/invites/${code}/join`, { token: carol.token });
      assert.equal(joined.status, 200);
      await until(
        "alice's socket on node A heard carol join",
        () =>
          watcher.events.some(([name, payload]) =>
            name === "chat:updated" &&
            (payload as { participantIds: string[] }).participantIds.includes(carol.user.id)
          ),
      );
      watcher.close();
    });

    await t.step("the end of a login reaches its sockets on the other node", async () => {
      const dropped = (socket: TestSocket) => socket.disconnectReason !== undefined;
      const phone = (await logIn(a.url, carol)).body.token;
      const [laptopA, laptopB, phoneB] = [
        await connect(a.url, carol.token),
        await connect(b.url, carol.token),
        await connect(b.url, phone),
      ];
      const body = { currentPassword: PASSWORD, newPassword: "another password" };
      const change = await api(a.url, "PUT", "/api/auth/password", { token: carol.token, body });
      assert.equal(change.status, 204);
      await until("the phone's socket on node B dropped", () => dropped(phoneB));
      await sleep(300);
      assert.ok(!dropped(laptopA) && !dropped(laptopB), "the changer's sockets stay");
      const all = await api(a.url, "POST", "/api/auth/logout/all", { token: carol.token });
      assert.equal(all.status, 204);
      await until(
        "its sockets on both nodes dropped",
        () => [laptopA, laptopB, phoneB].every(dropped),
      );
    });

    await a.kill();
    await b.kill();
    await Deno.remove(dataDir, { recursive: true });
  },
});
