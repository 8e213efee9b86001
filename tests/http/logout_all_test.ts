/**
 * `POST /api/auth/logout/all` through real HTTP and sockets: every login of the
 * user ends, the caller's included, and no other user's; and two changes of a
 * user's logins at the same moment cannot both win.
 */
import assert from "node:assert/strict";
import {
  api,
  logIn,
  PASSWORD,
  register,
  SocketPool,
  type TestSocket,
  tokenWorks,
  until,
} from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { RestClient } from "../../src/sdk/mod.ts";

Deno.test("REST auth: log out everywhere ends every login of the user", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const works = (token: string) => tokenWorks(url, token);
  const pool = new SocketPool(url);
  const open = (token: string) => pool.open(token, { settle: false });
  const dropped = (socket: TestSocket) => socket.disconnectReason !== undefined;

  try {
    const [alice, bob] = [await register(url, "all"), await register(url, "bystander")];
    const phone = (await logIn(url, alice)).body.token;
    const refreshed = (await api(url, "POST", "/api/auth/refresh", { token: phone })).body.token;
    const [laptopSocket, phoneSocket, bobSocket] = [
      await open(alice.token),
      await open(phone),
      await open(bob.token),
    ];

    await t.step("every login ends, the caller's included; other users' stay", async () => {
      assert.equal(
        (await api(url, "POST", "/api/auth/logout/all", { token: alice.token })).status,
        204,
      );
      for (const token of [alice.token, phone, refreshed]) {
        assert.equal(await works(token), false, "each token of the user is refused");
      }
      const refresh = await api(url, "POST", "/api/auth/refresh", { token: phone });
      assert.equal(refresh.status, 401, "and cannot be refreshed");
      await until(
        "the user's sockets dropped",
        () => dropped(laptopSocket) && dropped(phoneSocket),
      );
      assert.ok(await works(bob.token), "another user's login stays");
      assert.ok(bobSocket.socket.connected && !dropped(bobSocket), "and their socket");
    });

    await t.step("a login after it works, and the SDK ends it the same way", async () => {
      const fresh = await logIn(url, alice);
      assert.equal(fresh.status, 200, "the password is unchanged");
      const socket = await open(fresh.body.token);
      assert.ok(await works(fresh.body.token));
      await new RestClient(url, fresh.body.token).logoutEverywhere();
      assert.equal(await works(fresh.body.token), false);
      await until("its socket dropped", () => dropped(socket));
      assert.equal((await logIn(url, alice)).status, 200);
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});

Deno.test("REST auth: of two password changes at once, one wins", async () => {
  const server = await startTestServer({ LOGIN_LIMIT_PER_ACCOUNT: "100" });
  const { url } = server;
  try {
    const alice = await register(url, "race");
    const other = (await logIn(url, alice)).body.token;
    const change = (token: string, newPassword: string) =>
      api(url, "PUT", "/api/auth/password", {
        token,
        body: { currentPassword: PASSWORD, newPassword },
      });
    const [first, second] = await Promise.all([
      change(alice.token, "first new password"),
      change(other, "second new password"),
    ]);
    const statuses = [first.status, second.status];
    assert.equal(statuses.filter((s) => s === 204).length, 1, `one wins: ${statuses}`);
    const lost = first.status === 204 ? second : first;
    // The loser either read the user before the winner wrote (conflict) or after
    // (its login had already ended).
    assert.ok([401, 409].includes(lost.status), `the other is refused: ${lost.status}`);
    const [winner, loser] = first.status === 204 ? [alice.token, other] : [other, alice.token];
    const me = (token: string) => api(url, "GET", "/api/auth/me", { token });
    assert.equal((await me(winner)).status, 200, "the winner's login stays");
    assert.equal((await me(loser)).status, 401, "the loser's login ended");
    const won = first.status === 204 ? "first new password" : "second new password";
    const lostPassword = first.status === 204 ? "second new password" : "first new password";
    assert.equal((await logIn(url, alice, won)).status, 200, "the winner's password counts");
    assert.equal((await logIn(url, alice, lostPassword)).status, 401, "the loser's does not");
  } finally {
    await server.close();
  }
});
