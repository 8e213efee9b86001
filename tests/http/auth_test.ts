/**
 * `/api/auth` through real HTTP.
 */
import assert from "node:assert/strict";
import { decode } from "hono/jwt";
import { api, sleep } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

/** A token's `exp`, read from its payload. */
const expiry = (token: string) => decode(token).payload.exp as number;

Deno.test("REST auth", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const creds = { username: "Dana_1", email: "Dana@Example.com", password: "s3cret-pass" };
  let token = "";

  await t.step("register answers 201 with a token and the user's own view", async () => {
    const res = await api(url, "POST", "/api/auth/register", { body: creds });
    assert.equal(res.status, 201);
    assert.equal(typeof res.body.token, "string");
    assert.equal(res.body.user.username, "Dana_1");
    assert.equal(res.body.user.email, "dana@example.com");
    assert.equal(res.body.user.displayName, "Dana_1");
    assert.equal(res.body.user.passwordHash, undefined);
    token = res.body.token;
  });

  await t.step("a taken username or email is 409, whatever the case", async () => {
    for (
      const body of [{ ...creds, email: "x@y.io" }, {
        ...creds,
        username: "other",
        email: "DANA@example.com",
      }]
    ) {
      const res = await api(url, "POST", "/api/auth/register", {
        body: { ...body, username: body.username.toUpperCase() },
      });
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, "conflict");
    }
  });

  await t.step("login by username or by email; a wrong password is 401", async () => {
    for (
      const body of [{ username: "dana_1", password: creds.password }, {
        email: "dana@example.com",
        password: creds.password,
      }]
    ) {
      const res = await api(url, "POST", "/api/auth/login", { body });
      assert.equal(res.status, 200);
      assert.equal(res.body.user.username, "Dana_1");
    }
    const bad = await api(url, "POST", "/api/auth/login", {
      body: { username: "dana_1", password: "nope-nope" },
    });
    assert.equal(bad.status, 401);
    assert.equal(bad.body.error.code, "unauthorized");
    const unknown = await api(url, "POST", "/api/auth/login", {
      body: { username: "ghost", password: "nope-nope" },
    });
    assert.equal(unknown.status, 401);
    assert.equal(
      unknown.body.error.message,
      bad.body.error.message,
      "no hint whether the account exists",
    );
  });

  await t.step("me and profile", async () => {
    const me = await api(url, "GET", "/api/auth/me", { token });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.email, "dana@example.com");
    const updated = await api(url, "PUT", "/api/auth/profile", {
      token,
      body: { displayName: "Dana S.", avatar: "https://example.com/d.png" },
    });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.user.displayName, "Dana S.");
    assert.equal(updated.body.user.avatar, "https://example.com/d.png");
    const cleared = await api(url, "PUT", "/api/auth/profile", { token, body: { avatar: null } });
    assert.equal(cleared.body.user.avatar, undefined);
    const bad = await api(url, "PUT", "/api/auth/profile", { token, body: { displayName: "" } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "invalid_payload");
  });

  await t.step("no token and a malformed header are 401", async () => {
    assert.equal((await api(url, "GET", "/api/auth/me")).status, 401);
    const res = await fetch(url + "/api/auth/me", { headers: { Authorization: "Basic abc" } });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, "unauthorized");
  });

  await t.step("refresh: a later expiry, and the first token still works", async () => {
    // Expiry is in whole seconds: wait for the next one to see it move.
    await sleep(1100);
    const res = await api(url, "POST", "/api/auth/refresh", { token });
    assert.equal(res.status, 200);
    assert.equal(res.body.user.email, "dana@example.com");
    const fresh: string = res.body.token;
    assert.ok(expiry(fresh) > expiry(token), "a full lifetime from now");
    assert.equal((await api(url, "GET", "/api/auth/me", { token: fresh })).status, 200);
    assert.equal((await api(url, "GET", "/api/auth/me", { token })).status, 200);
    assert.equal((await api(url, "POST", "/api/auth/refresh")).status, 401);
  });

  await t.step("logout ends its login, refreshed tokens included, and no other", async () => {
    const refreshed = (await api(url, "POST", "/api/auth/refresh", { token })).body.token;
    const twice = (await api(url, "POST", "/api/auth/refresh", { token: refreshed })).body.token;
    const other = (await api(url, "POST", "/api/auth/login", {
      body: { username: "dana_1", password: creds.password },
    })).body.token;
    assert.equal((await api(url, "POST", "/api/auth/logout", { token: refreshed })).status, 204);
    for (const ended of [token, refreshed, twice]) {
      assert.equal((await api(url, "GET", "/api/auth/me", { token: ended })).status, 401);
      assert.equal((await api(url, "POST", "/api/auth/refresh", { token: ended })).status, 401);
    }
    assert.equal((await api(url, "GET", "/api/auth/me", { token: other })).status, 200);
  });

  await server.close();
});

Deno.test("REST auth: a login ends at SESSION_MAX_AGE_SECONDS, however often refreshed", async () => {
  const server = await startTestServer({ SESSION_MAX_AGE_SECONDS: "3" });
  const { url } = server;
  try {
    const creds = { username: "erin_1", email: "erin@example.com", password: "s3cret-pass" };
    const registered = await api(url, "POST", "/api/auth/register", { body: creds });
    const first: string = registered.body.token;
    const end = decode(first).payload.auth_time as number + 3;
    assert.equal(expiry(first), end, "the token lifetime (7 days) is cut to the login's");
    assert.equal(registered.body.expiresAt, new Date(end * 1000).toISOString(), "in the answer");
    await sleep(1100);
    const refreshed = (await api(url, "POST", "/api/auth/refresh", { token: first })).body.token;
    const twice = (await api(url, "POST", "/api/auth/refresh", { token: refreshed })).body.token;
    assert.deepEqual([expiry(refreshed), expiry(twice)], [end, end], "refreshes keep the end");

    // Past the end: every token of the login is refused, a new login is not.
    await sleep((end + 1) * 1000 - Date.now());
    for (const token of [first, refreshed, twice]) {
      assert.equal((await api(url, "POST", "/api/auth/refresh", { token })).status, 401);
    }
    const login = await api(url, "POST", "/api/auth/login", {
      body: { username: creds.username, password: creds.password },
    });
    assert.equal((await api(url, "GET", "/api/auth/me", { token: login.body.token })).status, 200);
  } finally {
    await server.close();
  }
});
