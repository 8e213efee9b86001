/**
 * An open socket ends with its token: `auth:expired`, then a server-side
 * disconnect. `auth:renew` with a newer token of the same user moves the end to
 * that token's expiry, and the socket to that token's login, whose logout ends
 * it even as the renewal runs. A login's max age of a few seconds gives tokens
 * that expire within the test.
 */
import assert from "node:assert/strict";
import type { AuthSession } from "../../src/protocol/mod.ts";
import {
  api,
  connect,
  emitAck,
  logIn,
  register,
  sleep,
  type TestSocket,
  until,
} from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

/** Records how and when a test socket's connection ended. */
function watchEnd(t: TestSocket): { reason?: string; at?: number } {
  const end: { reason?: string; at?: number } = {};
  t.socket.on("disconnect", (reason) => Object.assign(end, { reason, at: Date.now() }));
  return end;
}

const expiredEvents = (t: TestSocket) => t.events.filter(([name]) => name === "auth:expired");

Deno.test("socket token expiry: the server disconnects at the token's expiry", async () => {
  const server = await startTestServer({ SESSION_MAX_AGE_SECONDS: "2" });
  try {
    const [alice, bob] = [await register(server.url, "exp"), await register(server.url, "exp")];
    const live = await connect(server.url, alice.token);
    const end = watchEnd(live);

    // Refused renewals change nothing: the socket keeps its token and its end.
    const garbage = await emitAck(live, "auth:renew", { token: "not-a-token" });
    assert.equal(garbage.error.code, "unauthorized");
    const foreign = await emitAck(live, "auth:renew", { token: bob.token });
    assert.equal(foreign.error.code, "forbidden");
    const empty = await emitAck(live, "auth:renew", {});
    assert.equal(empty.error.code, "invalid_payload");

    await until("disconnected", () => end.reason !== undefined, 5_000);
    assert.equal(end.reason, "io server disconnect");
    assert.ok(end.at! >= Date.parse(alice.expiresAt), "not before the token expired");
    assert.deepEqual(expiredEvents(live), [["auth:expired", { expiredAt: alice.expiresAt }]]);
    live.close();
  } finally {
    await server.close();
  }
});

Deno.test("socket token expiry: auth:renew moves the end and the login", async () => {
  const server = await startTestServer({ SESSION_MAX_AGE_SECONDS: "3" });
  const { url } = server;
  const login = async (user: AuthSession) => (await logIn(url, user)).body;
  try {
    const alice = await register(url, "renew");
    const [x, y] = [await connect(url, alice.token), await connect(url, alice.token)];
    const [endX, endY] = [watchEnd(x), watchEnd(y)];
    // Tokens carry whole seconds: a login over a second later expires at least a second later.
    await sleep(1_100);
    const [b, c] = [await login(alice), await login(alice)];
    assert.ok(Date.parse(b.expiresAt) > Date.parse(alice.expiresAt));

    const renewedY = await emitAck(y, "auth:renew", { token: b.token });
    assert.deepEqual(renewedY, { ok: true, expiresAt: b.expiresAt });
    const renewedX = await emitAck(x, "auth:renew", { token: c.token });
    assert.deepEqual(renewedX, { ok: true, expiresAt: c.expiresAt });

    // Each socket now belongs to the login it renewed with: the first login's logout drops neither.
    const logout = await api(url, "POST", "/api/auth/logout", { token: alice.token });
    assert.equal(logout.status, 204);
    await until("the first token expired", () => Date.now() > Date.parse(alice.expiresAt) + 300);
    assert.ok(x.socket.connected && y.socket.connected, "renewed sockets outlive the old login");
    assert.deepEqual([...expiredEvents(x), ...expiredEvents(y)], []);

    await api(url, "POST", "/api/auth/logout", { token: c.token });
    await until("x dropped by its new login's logout", () => endX.reason !== undefined);
    assert.deepEqual(expiredEvents(x), [], "dropped by the logout, not by expiry");
    assert.ok(y.socket.connected, "y belongs to another login");

    await until("y expired", () => endY.reason !== undefined, 5_000);
    assert.ok(endY.at! >= Date.parse(b.expiresAt), "not before the renewed token expired");
    assert.deepEqual(expiredEvents(y), [["auth:expired", { expiredAt: b.expiresAt }]]);
    x.close();
    y.close();
  } finally {
    await server.close();
  }
});

Deno.test("socket token expiry: a renewal racing its login's logout ends the socket", async () => {
  const server = await startTestServer({ LOGIN_LIMIT_PER_ACCOUNT: "1000" });
  const { url } = server;
  try {
    const alice = await register(url, "renew");
    // Before a renewed socket had its token checked again in its new login's room, the logout's
    // disconnect could come before it joined, and it stayed on the ended login.
    for (let round = 0; round < 40; round++) {
      const sockets = await Promise.all(
        Array.from({ length: 20 }, () => connect(url, alice.token)),
      );
      const { token } = (await logIn(url, alice)).body;
      // The logout first, the renewals just after it: they meet in the store.
      const logout = api(url, "POST", "/api/auth/logout", { token });
      await sleep(round % 2);
      // A socket the logout drops before its answer rejects the ack: it moved, and it ended.
      const renewals = sockets.map((t) =>
        emitAck(t, "auth:renew", { token }).catch(() => ({ ok: true }))
      );
      assert.equal((await logout).status, 204);
      const answers = await Promise.all(renewals);
      const moved = sockets.filter((_, i) => answers[i].ok);
      await until(
        `round ${round}: each renewed socket dropped`,
        () => moved.every((t) => !t.socket.connected),
        3000,
      )
        .finally(() => sockets.forEach((t) => t.close()));
      const stayed = sockets.filter((_, i) => !answers[i].ok);
      assert.ok(stayed.every((t) => t.disconnectReason === "io client disconnect"), "kept");
    }
  } finally {
    await server.close();
  }
});
