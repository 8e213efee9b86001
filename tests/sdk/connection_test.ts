/**
 * The SDK's connection against a bare Socket.IO server that refuses handshakes
 * as `unavailable`, as a stopping node does, or as `rate_limited`, as a node
 * does to a user with too many sockets: the client tries again, each time
 * waiting longer up to socket.io's maximum, and a connection starts the
 * backoff over. A server out of reach is told as `disconnected` from the start.
 * @module
 */
import assert from "node:assert/strict";
import { ChatClient } from "../../src/sdk/mod.ts";
import { until } from "../_helpers/client.ts";
import { listenIo } from "../_helpers/bare_io.ts";
import { freePort } from "../_helpers/server.ts";

Deno.test("sdk: a handshake refused but for its token is tried again", async (t) => {
  // socket.io-client gives up after a refused handshake; the SDK must not, or a client
  // that reconnected to a draining node during a deploy would stay offline for good.
  const { io, url } = await listenIo();
  const handshakes: number[] = [];
  let [refuse, refusal] = [4, "unavailable"];
  io.use((_socket, next) => {
    handshakes.push(performance.now());
    next(refuse-- > 0 ? new Error(refusal) : undefined);
  });
  // No jitter, so that the waits are known: 50, 100, 200, then the maximum, 300 ms.
  const socket = { reconnectionDelay: 50, reconnectionDelayMax: 300, randomizationFactor: 0 };
  const client = new ChatClient({ url, token: "any", socket });
  const states: string[] = [];
  client.on("connection", (state) => states.push(state));
  const waits = () => handshakes.slice(1).map((at, i) => at - handshakes[i]);
  try {
    await t.step("each try waits longer, up to the maximum", async () => {
      client.connect();
      await until("connected on the fifth handshake", () => client.connected, 10_000);
      assert.equal(handshakes.length, 5);
      assert.deepEqual(states, [...Array(4).fill("unavailable"), "connected"], "why it waits");
      // Timers never fire early, so each wait is at least its backoff: a node that keeps
      // refusing (its store down) is not asked at the base delay forever.
      [50, 100, 200, 300].forEach((least, i) => assert.ok(waits()[i] >= least - 1, `${waits()}`));
    });

    await t.step("a connection starts the backoff over", async () => {
      handshakes.length = 0;
      refuse = 1;
      io.disconnectSockets(true); // the SDK tries once at once, is refused, then waits 50 ms
      await until("connected again", () => client.connected && handshakes.length === 2, 10_000);
      // Not the 300 ms the fifth refusal in a row would wait: a margin of 250 ms for a slow timer.
      assert.ok(waits()[0] >= 49 && waits()[0] < 250, `${waits()}`);
    });

    await t.step(
      "a handshake refused as rate_limited (too many sockets) is tried alike",
      async () => {
        [handshakes.length, refuse, refusal, states.length] = [0, 2, "rate_limited", 0];
        io.disconnectSockets(true); // at once, then after 50 and 100 ms
        await until("connected again", () => client.connected && handshakes.length === 3, 10_000);
        [50, 100].forEach((least, i) => assert.ok(waits()[i] >= least - 1, `${waits()}`));
        assert.deepEqual(states, ["disconnected", "rate_limited", "rate_limited", "connected"]);
      },
    );
  } finally {
    client.close();
    await io.close();
  }
});

Deno.test("sdk: a server out of reach is disconnected, from the first try", async () => {
  const client = new ChatClient({ url: `http://127.0.0.1:${freePort()}`, token: "any" });
  const states: string[] = [];
  client.on("connection", (state) => void states.push(state));
  try {
    client.connect(); // nothing listens there
    await until("told", () => states.length > 0);
    assert.equal(states[0], "disconnected");
  } finally {
    client.close();
  }
});
