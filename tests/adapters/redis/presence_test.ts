/**
 * Redis presence: the presence contract, then what only a shared presence must
 * do: devices on several nodes, and a dead node's devices expiring.
 */
import assert from "node:assert/strict";
import { connectRedis, RedisPresence } from "../../../src/adapters/redis/mod.ts";
import { presenceContract } from "../../contract/presence.ts";
import { REDIS_URL, serviceUp, uniquePrefix } from "../../_helpers/services.ts";
import { sleep } from "../../_helpers/client.ts";

const up = await serviceUp("Redis", REDIS_URL);

presenceContract("redis", async () =>
  new RedisPresence({
    client: await connectRedis({ url: REDIS_URL }),
    ownsClient: true,
    keyPrefix: uniquePrefix(),
    ttlMs: 30_000,
    heartbeatMs: 10_000,
  }), { ignore: !up });

Deno.test({
  name: "redis presence: many nodes, heartbeats and dead nodes",
  ignore: !up,
  fn: async (t) => {
    const keyPrefix = uniquePrefix();
    const open = async () =>
      new RedisPresence({
        client: await connectRedis({ url: REDIS_URL }),
        ownsClient: true,
        keyPrefix,
        ttlMs: 600,
        heartbeatMs: 150,
      });
    const [nodeA, nodeB] = [await open(), await open()];

    await t.step("a user with a device on each node is online until both leave", async () => {
      assert.equal(await nodeA.connect("u1", "a-1"), true);
      assert.equal(await nodeB.connect("u1", "b-1"), false);
      assert.equal(await nodeA.disconnect("u1", "a-1"), false);
      assert.deepEqual(await nodeA.online(["u1"]), new Set(["u1"]));
      assert.equal(await nodeB.disconnect("u1", "b-1"), true);
      assert.deepEqual(await nodeB.online(["u1"]), new Set());
    });

    await t.step("heartbeats keep devices online past the TTL", async () => {
      await nodeA.connect("u2", "a-2");
      await sleep(1500);
      assert.deepEqual(await nodeB.online(["u2"]), new Set(["u2"]));
      assert.deepEqual(await nodeB.sweep(), []);
      await nodeA.disconnect("u2", "a-2");
    });

    await t.step("a dead node's users expire and are swept exactly once", async () => {
      await nodeA.connect("u3", "a-3");
      await nodeB.connect("u4", "b-4");
      await nodeA.close(); // no more heartbeats: as if the node died
      await sleep(900);
      assert.deepEqual(await nodeB.online(["u3", "u4"]), new Set(["u4"]));
      const swept = [...await nodeB.sweep(), ...await nodeB.sweep()];
      assert.deepEqual(swept, ["u3"]);
      await nodeB.disconnect("u4", "b-4");
    });

    await nodeB.close();
  },
});
