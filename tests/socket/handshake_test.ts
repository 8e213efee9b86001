/**
 * The handshake's count of each user's sockets on a node, through a real server:
 * the socket over `MAX_SOCKETS_PER_USER` is refused with `rate_limited`, other
 * users are not, a closed socket gives its place back, clients that leave during
 * the handshake hold none, and the SDK comes back once a place is free.
 * @module
 */
import assert from "node:assert/strict";
import { ChatClient } from "../../src/sdk/mod.ts";
import {
  connect,
  connectError,
  fastRetry,
  register,
  scrape,
  type TestSocket,
  until,
} from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

/**
 * Opens an engine.io long-polling session and posts two packets in one body:
 * Socket.IO's connect with `token`, then engine.io's close. The server reads
 * both at once, so the connection is gone while the token is being checked.
 */
async function leaveDuringHandshake(url: string, token: string): Promise<void> {
  const base = `${url}/socket.io/?EIO=4&transport=polling`;
  const open = await (await fetch(base)).text();
  const { sid } = JSON.parse(open.slice(1)); // "0" and the handshake's JSON
  const posted = await fetch(`${base}&sid=${sid}`, {
    method: "POST",
    body: `40${JSON.stringify({ token })}\x1e1`, // packets are separated by a record separator
  });
  assert.equal(await posted.text(), "ok");
}

Deno.test("socket handshake: sockets per user on a node", async (t) => {
  const lines: string[] = [];
  const server = await startTestServer(
    { MAX_SOCKETS_PER_USER: "2", LOG_LEVEL: "info" },
    { log: (line) => lines.push(line) },
  );
  const { url } = server;
  const [alice, bob] = [await register(url, "alice"), await register(url, "bob")];
  const open: TestSocket[] = [];
  const closeAll = () => open.splice(0).forEach((socket) => socket.close());
  // Connects until the server has given back the places of the sockets closed before.
  const connectWhenFree = async (token: string) => {
    await until("a free place", async () => await connectError(url, { token }) === "connected");
    open.push(await connect(url, token));
  };

  await t.step("the socket over the limit is refused; other users are not", async () => {
    const before = (await scrape(url))("chat_rate_limited_total");
    open.push(await connect(url, alice.token), await connect(url, alice.token));
    assert.equal(await connectError(url, { token: alice.token }), "rate_limited");
    open.push(await connect(url, bob.token), await connect(url, bob.token));
    assert.equal((await scrape(url))("chat_rate_limited_total"), before + 1);
    const refusals = lines.filter((line) => line.includes("too many sockets"));
    assert.equal(refusals.length, 1);
    assert.equal(JSON.parse(refusals[0]).userId, alice.user.id);
    assert.equal(JSON.parse(refusals[0]).level, "info");
  });

  await t.step("a closed socket gives its place back", async () => {
    open.shift()!.close(); // one of alice's
    await connectWhenFree(alice.token);
    assert.equal(await connectError(url, { token: alice.token }), "rate_limited");
    closeAll();
  });

  await t.step("clients that leave during the handshake hold no place", async () => {
    for (let i = 0; i < 5; i++) await leaveDuringHandshake(url, alice.token);
    await connectWhenFree(alice.token);
    open.push(await connect(url, alice.token));
    assert.equal(await connectError(url, { token: alice.token }), "rate_limited");
  });

  await t.step("the SDK comes back by itself once a place is free", async () => {
    const client = new ChatClient({ url, token: alice.token, socket: fastRetry });
    const states: string[] = [];
    client.on("connection", (state) => void states.push(state));
    const refusals = () => lines.filter((line) => line.includes("too many sockets")).length;
    const before = refusals();
    client.connect();
    try {
      await until("two refusals", () => refusals() >= before + 2);
      assert.equal(client.connected, false);
      closeAll();
      await until("the client connected", () => client.connected);
      // Each refusal told why the client waits, and then it connected.
      assert.equal(states.at(-1), "connected");
      assert.ok(states.length >= 3, `${states}`);
      assert.ok(states.slice(0, -1).every((state) => state === "rate_limited"), `${states}`);
    } finally {
      client.close();
    }
  });

  closeAll();
  await server.close();
});
