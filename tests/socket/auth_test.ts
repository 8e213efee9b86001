/**
 * Socket handshake auth: no, forged, expired-looking and revoked tokens fail with
 * `connect_error` "unauthorized"; logout drops the sockets of that token, also
 * those whose handshake was under way as it happened.
 */
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import { api, connect, connectError, logIn, register, sleep, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { createJwtSigner } from "../../src/http/tokens.ts";

Deno.test("socket handshake auth", async (t) => {
  // One login per round of the race below.
  const server = await startTestServer({ LOGIN_LIMIT_PER_ACCOUNT: "1000" });
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

  await t.step("a socket whose handshake runs as its login logs out is dropped too", async () => {
    // Before a socket had its token checked again once in its login's room, one round in six
    // kept sockets of the ended login (the logout's disconnect came before they joined it).
    for (let round = 0; round < 30; round++) {
      const { token } = (await logIn(url, alice)).body;
      const sockets = Array.from(
        { length: 20 },
        () =>
          io(url, {
            auth: { token },
            transports: ["websocket"],
            forceNew: true,
            reconnection: false,
          }),
      );
      const settled = sockets.map((socket) =>
        new Promise<void>((resolve) => {
          socket.once("connect", () => resolve());
          socket.once("connect_error", () => resolve());
        })
      );
      await sleep(round % 4);
      assert.equal((await api(url, "POST", "/api/auth/logout", { token })).status, 204);
      await Promise.all(settled);
      const alive = () => sockets.filter((socket) => socket.connected).length;
      await until(`round ${round}: every socket dropped`, () => alive() === 0, 3000)
        .finally(() => sockets.forEach((socket) => socket.close()));
    }
  });

  await server.close();
});
