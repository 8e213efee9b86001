/**
 * The notifier between nodes: two Socket.IO servers linked by the real Redis
 * adapter; the rings, and the emits, of one turn reach the other node as one event.
 */
import assert from "node:assert/strict";
import { closeRedis, connectRedis } from "../../src/adapters/redis/client.ts";
import { createRedisSocketAdapter } from "../../src/adapters/redis/socket_adapter.ts";
import { io as connectClient } from "socket.io-client";
import { EMITS_EVENT, RING_EVENT, SocketNotifier, userRoom } from "../../src/socket/notifier.ts";
import { ServerEvents } from "../../src/protocol/mod.ts";
import { REDIS_URL, serviceUp, uniquePrefix } from "../_helpers/services.ts";
import { until } from "../_helpers/client.ts";
import { listenIo } from "../_helpers/bare_io.ts";

const up = await serviceUp("Redis", REDIS_URL);

async function node(keyPrefix: string) {
  const client = await connectRedis({ url: REDIS_URL });
  const linked = createRedisSocketAdapter({ client, keyPrefix });
  const { io, url } = await listenIo({ adapter: linked.adapter });
  assert.ok(await linked.ready(5000), "the adapter subscribed");
  // As the server does: a socket joins its user's room (here the user is in auth).
  io.on("connection", (socket) => socket.join(userRoom(String(socket.handshake.auth.userId))));
  const notifier = new SocketNotifier({ clustered: true });
  notifier.attach(io);
  return {
    io,
    notifier,
    url,
    async close() {
      await io.close();
      await linked.close();
      await closeRedis(client);
    },
  };
}

Deno.test({
  name: "notifier: the rings of one turn reach the other nodes as one event",
  ignore: !up,
  fn: async () => {
    const prefix = uniquePrefix();
    const [a, b] = [await node(prefix), await node(prefix)];
    try {
      const heard: string[][] = [];
      b.io.on(RING_EVENT, (userIds: string[]) => heard.push(userIds));
      const notifier = a.notifier;
      notifier.ring(["u1", "u2"]);
      notifier.ring(["u2", "u3"]);
      notifier.ring([]);
      await until("the first ring", () => heard.length > 0);
      notifier.ring(["u4"]);
      await until("the second ring", () => heard.length > 1);
      assert.deepEqual(heard, [["u1", "u2", "u3"], ["u4"]], "one event a turn, each user once");
    } finally {
      await a.close();
      await b.close();
    }
  },
});

Deno.test({
  name: "notifier: a turn's emits reach this node at once and the others as one event, in order",
  ignore: !up,
  fn: async () => {
    const prefix = uniquePrefix();
    const [a, b] = [await node(prefix), await node(prefix)];
    const connect = (url: string) => {
      const client = connectClient(url, {
        auth: { userId: "u1" },
        transports: ["websocket"],
        reconnection: false,
      });
      const got: string[] = [];
      client.on(
        ServerEvents.messageStatus,
        (tick: { messageId: string }) => got.push(tick.messageId),
      );
      return {
        client,
        got,
        up: new Promise((resolve) => client.once("connect", () => resolve(0))),
      };
    };
    const [here, there] = [connect(a.url), connect(b.url)];
    try {
      await Promise.all([here.up, there.up]);
      let batches = 0;
      b.io.on(EMITS_EVENT, () => batches++);
      for (const id of ["m1", "m2", "m3"]) {
        a.notifier.emit(["u1"], ServerEvents.messageStatus, { messageId: id });
      }
      await until("the other node's device got all three", () => there.got.length === 3);
      assert.deepEqual(here.got, ["m1", "m2", "m3"], "this node's device");
      assert.deepEqual(there.got, ["m1", "m2", "m3"], "the other node's device, in order");
      assert.equal(batches, 1, "one server-side event for the turn");
    } finally {
      here.client.close();
      there.client.close();
      await a.close();
      await b.close();
    }
  },
});
