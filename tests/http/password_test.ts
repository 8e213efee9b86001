/**
 * `PUT /api/auth/password` through real HTTP and sockets: a wrong current
 * password changes nothing; a change ends every other login of the user, on
 * REST and on open sockets, and keeps the caller's, refreshed tokens included.
 */
import assert from "node:assert/strict";
import {
  api,
  connect,
  logIn,
  PASSWORD,
  register,
  type TestUser,
  tokenWorks,
  until,
} from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { RestClient } from "../../src/sdk/mod.ts";

Deno.test("REST auth: a password change ends the other logins", async (t) => {
  // Logins and changes count against the per-account login limit: room for this test's.
  const server = await startTestServer({ LOGIN_LIMIT_PER_ACCOUNT: "100" });
  const { url } = server;
  const alice = await register(url, "pw");
  const login = (password: string) => logIn(url, alice, password);
  const works = (token: string) => tokenWorks(url, token);
  const change = (token: string, currentPassword: string, newPassword: string) =>
    api(url, "PUT", "/api/auth/password", { token, body: { currentPassword, newPassword } });

  const other: TestUser = (await login(PASSWORD)).body;
  const caller = alice.token;
  const refreshed = (await api(url, "POST", "/api/auth/refresh", { token: caller })).body.token;
  const [callerSocket, otherSocket] = [await connect(url, caller), await connect(url, other.token)];

  try {
    await t.step("bad input and a wrong current password change nothing", async () => {
      const short = await change(caller, PASSWORD, "short");
      assert.equal(short.status, 400);
      assert.equal(short.body.error.code, "invalid_payload");
      const wrong = await change(caller, "not my password", "a new password");
      assert.equal(wrong.status, 403);
      assert.equal(wrong.body.error.code, "forbidden");
      assert.ok(await works(other.token), "the other login still works");
      assert.equal((await login(PASSWORD)).status, 200, "the old password still works");
      assert.ok(otherSocket.socket.connected);
    });

    await t.step("a change ends the other logins and keeps the caller's", async () => {
      assert.equal((await change(caller, PASSWORD, "a new password")).status, 204);
      assert.equal(await works(other.token), false, "the other login is refused");
      await until(
        "the other login's socket dropped",
        () => otherSocket.disconnectReason !== undefined,
      );
      assert.equal((await login(PASSWORD)).status, 401, "the old password is refused");
      assert.ok(await works(caller), "the caller's login stays");
      assert.ok(await works(refreshed), "and its refreshed tokens");
      assert.ok(callerSocket.socket.connected, "and its socket");
      const again = await api(url, "POST", "/api/auth/refresh", { token: caller });
      assert.equal(again.status, 200, "it can still refresh");
    });

    await t.step("a login after the change works; the next change ends the first", async () => {
      const [fresh, bystander] = [await login("a new password"), await login("a new password")];
      assert.equal(fresh.status, 200);
      assert.ok(await works(fresh.body.token));
      // Through the SDK this time.
      await new RestClient(url, fresh.body.token).changePassword("a new password", "a third one!");
      assert.ok(await works(fresh.body.token));
      assert.equal(await works(bystander.body.token), false, "a login since the first change ends");
      assert.equal(await works(caller), false, "the first changer's login ends too");
      assert.equal(await works(refreshed), false);
    });
  } finally {
    callerSocket.close();
    otherSocket.close();
    await server.close();
  }
});

Deno.test("REST auth: wrong current passwords count against the login limit", async () => {
  const server = await startTestServer({ LOGIN_LIMIT_PER_ACCOUNT: "2" });
  try {
    const alice = await register(server.url, "pw");
    const change = (currentPassword: string) =>
      api(server.url, "PUT", "/api/auth/password", {
        token: alice.token,
        body: { currentPassword, newPassword: "a new password" },
      });
    assert.equal((await change("guess one")).status, 403);
    assert.equal((await change("guess two")).status, 403);
    const limited = await change(PASSWORD);
    assert.equal(limited.status, 429, "a stolen token cannot guess on");
    assert.equal(limited.body.error.code, "rate_limited");
    const login = await logIn(server.url, alice);
    assert.equal(login.status, 429, "the same budget as logins");
  } finally {
    await server.close();
  }
});
