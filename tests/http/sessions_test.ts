/**
 * A user's logins through real HTTP and sockets: each login is listed with its
 * client's User-Agent, the caller's own marked, the latest active first; a
 * refresh and a socket's connection move its activity; ending another login
 * refuses its tokens and disconnects its sockets; logins ended by a password
 * change or a logout leave the list; ids that are no login of the caller's are
 * 404 and change nothing; a login made before logins were recorded shows once
 * its token is refreshed or a socket connects with it.
 */
import assert from "node:assert/strict";
import type { SessionView } from "../../src/protocol/mod.ts";
import { api, logIn, PASSWORD, registerAll, SocketPool, until } from "../_helpers/client.ts";
import { SECRET, startTestServer } from "../_helpers/server.ts";
import { createJwtSigner } from "../../src/http/tokens.ts";

const PHONE = "ChatApp/1.0 (Android 15)";

Deno.test("REST sessions: a user lists their logins and ends one", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob] = await registerAll(url, "alice", "bob");
  const laptop = alice.token;
  const list = async (token = laptop) => {
    const res = await api(url, "GET", "/api/auth/sessions", { token });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.sessions as SessionView[];
  };
  const end = (id: string, token = laptop) =>
    api(url, "DELETE", `/api/auth/sessions/${id}`, { token });
  const works = async (token: string) =>
    (await api(url, "GET", "/api/auth/me", { token })).status === 200;
  const pool = new SocketPool(url);

  try {
    const phoneLogin = await api(url, "POST", "/api/auth/login", {
      body: { username: alice.user.username, password: PASSWORD },
      headers: { "User-Agent": PHONE },
    });
    const phone = phoneLogin.body.token as string;
    let phoneId = "";

    await t.step("each login, its agent, the caller's own marked, latest first", async () => {
      const sessions = await list();
      assert.equal(sessions.length, 2);
      assert.deepEqual(sessions.map((s) => s.current), [false, true]);
      assert.equal(sessions[0].agent, PHONE);
      assert.match(sessions[1].agent ?? "", /^Deno\//, "the registering client's own");
      phoneId = sessions[0].id;
      assert.deepEqual((await list(phone)).map((s) => s.current), [true, false]);
      assert.deepEqual((await list(bob.token)).length, 1, "bob sees only his");
    });

    await t.step("a refresh and a socket move a login's activity", async () => {
      const before = await list();
      const refreshed = await api(url, "POST", "/api/auth/refresh", { token: laptop });
      assert.equal(refreshed.status, 200);
      const after = await list();
      assert.equal(after[0].current, true, "the laptop is the latest active now");
      const was = before.find((s) => s.current)!;
      assert.ok(after[0].lastActiveAt > was.lastActiveAt);
      assert.ok(after[0].expiresAt >= was.expiresAt);
      await pool.open(phone);
      await until("the phone is the latest again", async () => !(await list())[0].current);
    });

    await t.step("ending another login refuses its tokens and drops its sockets", async () => {
      const socket = await pool.open(phone);
      assert.equal(await works(phone), true);
      assert.equal((await end(phoneId)).status, 204);
      assert.equal(await works(phone), false);
      await until("the phone's socket went", () => socket.disconnectReason !== undefined);
      assert.deepEqual((await list()).map((s) => s.current), [true]);
      assert.equal(await works(laptop), true, "the caller's own goes on");
    });

    await t.step("ids that are no live login of the caller's: 404, nothing ends", async () => {
      const bobs = (await list(bob.token))[0].id;
      for (const id of [phoneId, bobs, "no-such-login"]) {
        const res = await end(id);
        assert.equal(res.status, 404, id);
        assert.equal(res.body.error.code, "not_found");
      }
      assert.equal(await works(bob.token), true);
      assert.equal((await api(url, "GET", "/api/auth/sessions")).status, 401, "no token");
    });

    await t.step("a password change and a logout take logins off the list", async () => {
      const tablet = (await logIn(url, alice)).body.token;
      assert.equal((await list()).length, 2);
      const changed = await api(url, "PUT", "/api/auth/password", {
        token: laptop,
        body: { currentPassword: PASSWORD, newPassword: "a new password" },
      });
      assert.equal(changed.status, 204);
      assert.deepEqual((await list()).map((s) => s.current), [true], "the tablet's is over");
      assert.equal(await works(tablet), false);
      const again = (await logIn(url, alice, "a new password")).body.token;
      const own = (await list()).find((s) => s.current)!.id;
      assert.equal((await end(own, laptop)).status, 204, "the laptop's own");
      assert.equal(await works(laptop), false, "ending one's own is a logout");
      assert.deepEqual((await list(again)).map((s) => s.current), [true]);
      assert.equal((await api(url, "POST", "/api/auth/logout", { token: again })).status, 204);
      const last = (await logIn(url, alice, "a new password")).body.token;
      assert.equal((await list(last)).length, 1, "the logged out one is gone");
    });

    await t.step("a login from before logins were recorded shows once it is used", async () => {
      const token = (await logIn(url, alice, "a new password")).body.token;
      const signer = createJwtSigner({ secret: SECRET, ttlSeconds: 600 });
      const anHourAgo = Math.floor(Date.now() / 1000) - 3600;
      const older = (sid: string) =>
        signer.sign(alice.user.id, { sid, authTime: anHourAgo, generation: 1 });
      const refreshedOne = (await older("old-refreshed")).token;
      assert.equal(await works(refreshedOne), true);
      assert.equal((await list(token)).some((s) => s.id === "old-refreshed"), false);
      const refresh = await api(url, "POST", "/api/auth/refresh", {
        token: refreshedOne,
        headers: { "User-Agent": PHONE },
      });
      assert.equal(refresh.status, 200);
      const found = (await list(token)).find((s) => s.id === "old-refreshed");
      assert.equal(found?.agent, PHONE);
      assert.equal(found?.createdAt, new Date(anHourAgo * 1000).toISOString(), "its login time");
      await pool.open((await older("old-connected")).token);
      await until(
        "the socket's login shows",
        async () => (await list(token)).some((s) => s.id === "old-connected"),
      );
      const connected = (await list(token)).find((s) => s.id === "old-connected");
      assert.equal(connected?.createdAt, found?.createdAt, "its login time too");
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
