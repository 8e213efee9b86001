/**
 * Socket handshake auth: no, forged, expired-looking and revoked tokens fail with
 * `connect_error` "unauthorized"; logout drops the sockets of that token.
 */
import assert from "node:assert/strict";
import { api, connect, connectError, logIn, register, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { createJwtSigner } from "../../src/http/tokens.ts";

Deno.test("socket handshake auth", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const alice = await register(url);

  await t.step("no token", async () => {
    assert.equal(await connectError(url, {}), "unauthorized");
  });

  await t.step("garbage and forged tokens", async () => {
    assert.equal(await connectError(url, { token: "not-a-jwt" }), "unauthorized");
    const forger = createJwtSigner({
      secret: "another-secret-0123456789abcdef012345",
      ttlSeconds: 60,
    });
    const { token } = await forger.sign(alice.user.id, { generation: 0 });
    assert.equal(await connectError(url, { token }), "unauthorized");
    assert.equal((await api(url, "GET", "/api/auth/me", { token })).status, 401);
  });

  await t.step("a valid token connects", async () => {
    assert.equal(await connectError(url, { token: alice.token }), "connected");
  });

  await t.step("logout revokes the token on REST and socket, and drops its sockets", async () => {
    const live = await connect(url, alice.token);
    const res = await api(url, "POST", "/api/auth/logout", { token: alice.token });
    assert.equal(res.status, 204);
    await until("socket dropped", () => live.disconnectReason !== undefined);
    assert.equal(await connectError(url, { token: alice.token }), "unauthorized");
    const me = await api(url, "GET", "/api/auth/me", { token: alice.token });
    assert.equal(me.status, 401);
    assert.equal(me.body.error.code, "unauthorized");
    live.close();
    // A new login still works.
    const again = await logIn(url, alice);
    assert.equal(again.status, 200);
    assert.equal(await connectError(url, { token: again.body.token }), "connected");
  });

  await t.step("logout drops the sockets of the login's refreshed tokens, not others", async () => {
    const login = () => logIn(url, alice);
    const first = (await login()).body.token;
    const other = await connect(url, (await login()).body.token);
    const refreshed = (await api(url, "POST", "/api/auth/refresh", { token: first })).body.token;
    const live = await connect(url, refreshed);
    await api(url, "POST", "/api/auth/logout", { token: first });
    await until("the refreshed token's socket dropped", () => live.disconnectReason !== undefined);
    assert.equal(await connectError(url, { token: refreshed }), "unauthorized");
    assert.ok(other.socket.connected, "another login's socket stays");
    live.close();
    other.close();
  });

  await server.close();
});
