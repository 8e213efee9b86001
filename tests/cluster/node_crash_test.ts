/**
 * A node killed while it drains a device's backlog: every message the cluster
 * acknowledged still arrives, through the other node, the rest in seq order,
 * and the user of the dead node goes offline on the other within the presence
 * heartbeat's window.
 */
import assert from "node:assert/strict";
import { api, connect, directChat, emitAck, register, until } from "../_helpers/client.ts";
import { servicesUp, twoNodes } from "./_two_nodes.ts";

Deno.test({
  name: "killing a node mid-drain loses nothing; its users go offline",
  ignore: !servicesUp,
  fn: async () => {
    const { a, b, dataDir } = await twoNodes();
    const [alice, bob] = [await register(a.url), await register(a.url)];
    const chatId = await directChat(a.url, alice, bob);
    const sender = await connect(a.url, alice.token);
    const total = 600;
    const acks = [];
    for (let i = 1; i <= total; i += 50) {
      const batch = [];
      for (let j = i; j < i + 50; j++) {
        batch.push(
          emitAck(sender, "message:send", { chatId, content: `d${j}`, clientMsgId: `d${j}` }),
        );
      }
      acks.push(...await Promise.all(batch));
    }
    assert.ok(acks.every((x) => x.ok));

    // A slow device on node B: node B dies while most of the backlog is in flight.
    const slow = await connect(b.url, bob.token, { ackDelayMs: 20 });
    await until("drain under way", () => slow.received.length >= 100);
    await b.kill();
    slow.close();

    // Bob was only on node B: node A must see him offline within the heartbeat window.
    await until(
      "bob offline on node A",
      async () =>
        (await api(a.url, "GET", `/api/users/${bob.user.id}`, { token: alice.token })).body.user
          .isOnline === false,
      8000,
    );
    await until(
      "alice told",
      () =>
        sender.events.some(([e, p]) =>
          e === "user:offline" && (p as { userId: string }).userId === bob.user.id
        ),
      8000,
    );

    const again = await connect(a.url, bob.token);
    const ids = new Set(acks.map((x) => x.message.id));
    const seen = () => new Set([...slow.received, ...again.received].map((m) => m.id));
    await until(
      "every acknowledged message arrived",
      () => [...ids].every((id) => seen().has(id)),
      15_000,
    );
    const fresh = again.received.map((m) => m.seq);
    assert.deepEqual(fresh, [...fresh].sort((x, y) => x - y), "the rest arrives in seq order");
    again.close();
    sender.close();
    await a.kill();
    await Deno.remove(dataDir, { recursive: true });
  },
});
