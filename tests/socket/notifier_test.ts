/**
 * The notifier's rings between nodes: two Socket.IO servers linked by the real
 * Redis adapter; the rings of one turn reach the other node as one event.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Server } from "socket.io";
import { closeRedis, connectRedis } from "../../src/adapters/redis/client.ts";
import { createRedisSocketAdapter } from "../../src/adapters/redis/socket_adapter.ts";
import { RING_EVENT, SocketNotifier } from "../../src/socket/notifier.ts";
import { REDIS_URL, serviceUp, uniquePrefix } from "../_helpers/services.ts";

const up = await serviceUp("Redis", REDIS_URL);

async function node(keyPrefix: string) {
  const client = await connectRedis({ url: REDIS_URL });
  const linked = createRedisSocketAdapter({ client, keyPrefix });
  const http = createServer();
  const io = new Server(http, { serveClient: false, adapter: linked.adapter });
  assert.ok(await linked.ready(5000), "the adapter subscribed");
  return {
    io,
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
      const notifier = new SocketNotifier({ clustered: true });
      notifier.attach(a.io);
      notifier.ring(["u1", "u2"]);
      notifier.ring(["u2", "u3"]);
      notifier.ring([]);
      const deadline = Date.now() + 5000;
      while (heard.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      notifier.ring(["u4"]);
      while (heard.length < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.deepEqual(heard, [["u1", "u2", "u3"], ["u4"]], "one event a turn, each user once");
    } finally {
      await a.close();
      await b.close();
    }
  },
});
