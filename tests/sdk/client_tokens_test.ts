/**
 * `ChatClient.setToken()` against the real server: a connected socket renews
 * with the new token and outlives the old one; a refused token is not kept;
 * the socket the server ends at expiry comes back by itself with the token the
 * client has, and a refused handshake comes back with the next `setToken()`.
 * @module
 */
import assert from "node:assert/strict";
import { type AuthSession, ChatClient, ChatClientError, RestClient } from "../../src/sdk/mod.ts";
import { fastRetry, PASSWORD, register, sleep, until } from "../_helpers/client.ts";
import { freePort, startTestServer } from "../_helpers/server.ts";
import { startTcpProxy } from "../_helpers/tcp_proxy.ts";

/** A client whose connection states are recorded in order. */
function watched(url: string, token: string): { client: ChatClient; states: string[] } {
  const client = new ChatClient({ url, token, socket: fastRetry });
  const states: string[] = [];
  client.on("connection", (state) => void states.push(state));
  return { client, states };
}

Deno.test("sdk: a token set while disconnected is used from the next reconnect on", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "sdk-" });
  const env = { DATA_DIR: dataDir, PORT: String(freePort()) };
  let server = await startTestServer(env);
  const alice = await register(server.url, "alice");
  const fresh = await new RestClient(server.url, alice.token).refresh();
  assert.notEqual(fresh.token, alice.token);
  assert.equal((await new RestClient(server.url, fresh.token).me()).id, alice.user.id);

  const { client, states } = watched(server.url, alice.token);
  client.connect();
  await until("connected", () => client.connected);
  await server.close();
  // A token the server refuses shows that the reconnect asks setToken's, not the first.
  await client.setToken("not-a-token");
  server = await startTestServer(env);
  await until("refused on reconnect", () => states.includes("unauthorized"), 10_000);
  // A refused handshake is not retried by socket.io-client: the next token reconnects by itself.
  await client.setToken(fresh.token);
  await until("connected with the refreshed token", () => client.connected);
  client.close();
  await server.close();
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("sdk: setToken renews the open socket; at expiry it comes back with the token it has", async (t) => {
  // Logins of 3 s: tokens that expire within the test.
  const server = await startTestServer({ SESSION_MAX_AGE_SECONDS: "3" });
  const proxy = startTcpProxy(server.port);
  const alice = await register(server.url, "alice");
  const login = (): Promise<AuthSession> =>
    RestClient.login(server.url, { login: alice.user.username, password: PASSWORD });
  const { client, states } = watched(proxy.url, alice.token);
  try {
    client.connect();
    await until("connected", () => client.connected);

    await t.step("a refused token is not kept for the next reconnect", async () => {
      await assert.rejects(
        client.setToken("not-a-token"),
        (error) => error instanceof ChatClientError && error.code === "unauthorized",
      );
      proxy.cut();
      await until("dropped", () => !client.connected);
      proxy.restore();
      await until("back with the first token", () => client.connected, 10_000);
      assert.deepEqual(states, ["connected", "disconnected", "connected"]);
    });

    let renewed: AuthSession;
    await t.step("a renewed socket outlives the old token", async () => {
      // Tokens carry whole seconds: a login over a second later expires at least a second later.
      await sleep(1_100);
      renewed = await login();
      await client.setToken(renewed.token);
      await until("the first token expired", () => Date.now() > Date.parse(alice.expiresAt) + 300);
      assert.deepEqual(states, ["connected", "disconnected", "connected"], "never dropped");
    });

    await t.step("ended at the renewed token's expiry, refused, back with the next", async () => {
      await until("refused after the expiry", () => states.at(-1) === "unauthorized", 5_000);
      assert.ok(Date.now() >= Date.parse(renewed.expiresAt));
      assert.deepEqual(states.slice(3), ["disconnected", "unauthorized"]);
      await client.setToken((await login()).token);
      await until("connected with the new login", () => client.connected);
    });
  } finally {
    client.close();
    proxy.close();
    await server.close();
  }
});
