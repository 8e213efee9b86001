/**
 * The promise under chaos: two nodes (shared KV file, Redis, RabbitMQ), four
 * users with two devices each that connect and drop at random, some of them
 * never acknowledging, senders retrying over socket and REST, and mid-traffic
 * the faults of `injectFaults()`: a node crashes, one is redeployed, Redis and
 * RabbitMQ cut every connection. Afterwards every chat's history holds each send exactly once with seq
 * 1..n, every acknowledged message reached an acknowledging device of each
 * recipient and is marked delivered, and no connection saw a chat's messages out
 * of order. `CHAOS_SEED` replays a run's choices (not its timing).
 */
import assert from "node:assert/strict";
import {
  api,
  directChat,
  history,
  register,
  settled,
  sleep,
  type TestUser,
  until,
} from "../_helpers/client.ts";
import { AMQP_URL, REDIS_URL, serviceUp } from "../_helpers/services.ts";
import { chaosRun, type Device, injectFaults, plugIn, unplug } from "./_chaos.ts";

const up = await serviceUp("Redis", REDIS_URL) && await serviceUp("RabbitMQ", AMQP_URL);
/** Each user sends at least this many, and goes on until the last fault is over. */
const SENDS_PER_USER = 40;

Deno.test({
  name: "devices dropping, acks lost and nodes killed lose and reorder nothing",
  ignore: !up,
  fn: () =>
    chaosRun({
      // Short, so devices that never ack hit the timeout path during the run.
      ACK_TIMEOUT_MS: "500",
      // Small, so drains wait on acks and live sends meet a full window.
      DELIVERY_WINDOW: "4",
    }, async ({ seed, rng, cluster, keyPrefix }) => {
      const devices: Device[] = [];
      try {
        const url0 = cluster.urls[0];
        const users: TestUser[] = [];
        for (let i = 0; i < 4; i++) users.push(await register(url0));
        const group = await api(url0, "POST", "/api/chats", {
          token: users[0].token,
          body: { type: "group", participantIds: users.slice(1).map((u) => u.user.id) },
        });
        const chats = [
          { id: group.body.chat.id as string, members: users },
          { id: await directChat(url0, users[0], users[1]), members: users.slice(0, 2) },
        ];
        for (const user of users) {
          for (let i = 0; i < 2; i++) devices.push({ user, socket: null, connections: [] });
        }
        let sending = users.length; // senders still running
        let faulting = true;
        /** clientMsgId → the message id every acknowledgement of it carried. */
        const acked = new Map<string, { id: string; chatId: string; senderId: string }>();
        let attempts = 0;

        // One sender per user: each message is retried with its clientMsgId until acknowledged.
        const sender = async (user: TestUser) => {
          const mine = chats.filter((c) => c.members.includes(user));
          for (let k = 0; k < SENDS_PER_USER || faulting; k++) {
            const clientMsgId = `${user.user.id}:${k}`;
            const chatId = rng.pick(mine).id;
            while (!acked.has(clientMsgId)) {
              attempts++;
              const message = await sendOnce(user, chatId, clientMsgId).catch(() => null);
              if (!message) {
                await sleep(50);
                continue;
              }
              assert.equal(message.chatId, chatId);
              const first = acked.get(clientMsgId);
              assert.equal(first?.id ?? message.id, message.id, `${clientMsgId}: one id per send`);
              acked.set(clientMsgId, { id: message.id, chatId, senderId: user.user.id });
            }
            await sleep(rng.next() * 200);
          }
        };
        const sendOnce = async (user: TestUser, chatId: string, clientMsgId: string) => {
          const content = `m ${clientMsgId}`;
          const device = devices.find((d) => d.user === user && d.socket?.socket.connected);
          if (device?.socket && rng.next() < 0.8) {
            const ack = await device.socket.socket.timeout(2_000).emitWithAck("message:send", {
              chatId,
              content,
              clientMsgId,
            });
            return ack.ok ? ack.message : null;
          }
          const res = await api(rng.pick(cluster.urls), "POST", `/api/chats/${chatId}/messages`, {
            token: user.token,
            body: { content, clientMsgId },
          });
          return res.status === 201 ? res.body.message : null;
        };

        // Devices come and go; a fifth of the connections never acknowledge what they get.
        const churn = async () => {
          while (sending > 0) {
            const device = rng.pick(devices);
            if (device.socket) unplug(device);
            else if (cluster.urls.length) {
              await plugIn(device, rng.pick(cluster.urls), rng.next() > 0.2);
            }
            await sleep(20 + rng.next() * 80);
          }
        };
        const churning = churn();
        await Promise.all([
          ...users.map((user) => sender(user).finally(() => sending--)),
          injectFaults({ cluster, rng, keyPrefix }).finally(() => faulting = false),
        ]);
        await churning;
        assert.ok(acked.size >= users.length * SENDS_PER_USER);

        // Everyone comes back on one acknowledging device and gets what is still pending.
        for (const device of devices) unplug(device);
        for (const device of devices.filter((_, i) => i % 2 === 0)) {
          assert.ok(await plugIn(device, rng.pick(cluster.urls), true));
          await settled(device.socket!);
        }
        const received = (user: TestUser) =>
          new Set(
            devices.filter((d) => d.user === user).flatMap((d) => d.connections)
              // What a device never acknowledged does not count: it played one that died first.
              .filter((c) => c.autoAck).flatMap((c) => c.received.map((m) => m.id)),
          );
        for (const user of users) {
          const expected = [...acked.values()].filter((m) =>
            m.senderId !== user.user.id &&
            chats.find((c) => c.id === m.chatId)!.members.includes(user)
          );
          await until(
            `every message for ${user.user.username} reached an acknowledging device`,
            () => expected.every((m) => received(user).has(m.id)),
            20_000,
          );
        }

        for (const chat of chats) {
          const ids = [...acked.values()].filter((m) => m.chatId === chat.id).map((m) => m.id);
          await until(`every message in ${chat.id} delivered`, async () => {
            const stored = await history(cluster.urls[0], users[0].token, chat.id);
            return stored.every((m) => m.status !== "sent");
          });
          const stored = await history(cluster.urls[0], users[0].token, chat.id);
          assert.deepEqual(stored.map((m) => m.seq), stored.map((_, i) => i + 1), "seq 1..n");
          assert.deepEqual(stored.map((m) => m.id).sort(), ids.sort(), "each send stored once");
        }
        for (const connection of devices.flatMap((d) => d.connections)) {
          const lastSeq = new Map<string, number>();
          const seen = new Set<string>();
          for (const m of connection.received) {
            if (seen.has(m.id)) continue;
            seen.add(m.id);
            assert.ok(m.seq > (lastSeq.get(m.chatId) ?? 0), `in order on one connection`);
            lastSeq.set(m.chatId, m.seq);
          }
        }
        console.log(
          `chaos seed ${seed}: ${acked.size} sends in ${attempts} attempts, ` +
            `${devices.flatMap((d) => d.connections).length} connections`,
        );
      } finally {
        for (const device of devices) unplug(device);
      }
    }),
});
