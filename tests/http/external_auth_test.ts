/**
 * `POST /api/auth/external`: logins through the app's identity provider, with
 * tokens the app's backend signs with a secret it shares with the server.
 * (`external_auth_setup_test.ts` has the route off and a provider's published
 * keys; `tests/adapters/jwt/` checks those keys' tokens.)
 */
import assert from "node:assert/strict";
import { decode, sign } from "hono/jwt";
import { api, connect, emitAck, register, until } from "../_helpers/client.ts";
import {
  APP_SECRET,
  AUDIENCE,
  ISSUER,
  SHARED_SECRET_ENV,
  sharedSecretToken,
} from "../_helpers/identity_provider.ts";
import { ADMIN_TOKEN, SECRET, startTestServer } from "../_helpers/server.ts";

const login = (url: string, token: unknown) =>
  api(url, "POST", "/api/auth/external", { body: { token } });

Deno.test("logins through the app's identity provider", async (t) => {
  const server = await startTestServer({
    ...SHARED_SECRET_ENV,
    ADMIN_TOKEN,
  });
  const { url } = server;
  const sub = "auth0|ann.42";
  const claims = { sub, preferred_username: "ann", name: "Ann Lee" };
  let annToken = "";

  await t.step("the first login makes the account, with the app's id: 201", async () => {
    const res = await login(url, await sharedSecretToken(APP_SECRET, claims));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.user.id, sub);
    assert.equal(res.body.user.username, "ann");
    assert.equal(res.body.user.displayName, "Ann Lee");
    assert.equal(res.body.user.email, undefined);
    assert.ok(Date.parse(res.body.expiresAt) > Date.now());
    annToken = res.body.token;
    const me = await api(url, "GET", "/api/auth/me", { token: annToken });
    assert.equal(me.body.user.id, sub);
  });

  await t.step(
    "later logins: 200, the same account, the name and picture kept in step",
    async () => {
      const picture = "https://cdn.example.test/ann.png";
      const token = await sharedSecretToken(APP_SECRET, { ...claims, name: "Ann L.", picture });
      const res = await login(url, token);
      assert.equal(res.status, 200);
      assert.deepEqual(
        [res.body.user.id, res.body.user.displayName, res.body.user.avatar],
        [sub, "Ann L.", picture],
      );
      const sessions = await api(url, "GET", "/api/auth/sessions", { token: res.body.token });
      assert.equal(sessions.body.sessions.length, 2, "each login is one in the list");
    },
  );

  await t.step("a token that does not hold is 401 and makes nothing", async () => {
    const now = Math.floor(Date.now() / 1000);
    const base = { iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600 };
    const bad = [
      await sharedSecretToken(APP_SECRET, { sub: "x1", iss: "https://other.test/" }),
      await sharedSecretToken(APP_SECRET, { sub: "x2", aud: "another-app" }),
      await sharedSecretToken(APP_SECRET, { sub: "x3", exp: now - 10 }),
      await sharedSecretToken(APP_SECRET, { sub: "x4", exp: undefined }),
      await sharedSecretToken(APP_SECRET, { sub: "x5", iat: now + 600 }),
      await sharedSecretToken("some-other-secret-0123456789abcdefgh", { sub: "x6" }),
      await sharedSecretToken(APP_SECRET, { sub: "has space" }),
      await sharedSecretToken(APP_SECRET, { sub: "x".repeat(65) }),
      await sign({ ...base, sub: "x7" }, APP_SECRET, "HS512"),
      // alg "none": a header and payload with an empty signature.
      `${btoa(JSON.stringify({ alg: "none" }))}.${btoa(JSON.stringify({ ...base, sub: "x8" }))}.`,
      "not a token",
    ];
    for (const [i, token] of bad.entries()) {
      const res = await login(url, token);
      assert.equal(res.status, 401, `token ${i}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, "unauthorized");
    }
    for (const body of [{}, { token: "" }, { token: 42 }]) {
      const res = await api(url, "POST", "/api/auth/external", { body });
      assert.equal(res.status, 400);
    }
    for (const id of ["x1", "x2", "x3", "x5", "x7", "x8"]) {
      const res = await api(url, "GET", `/api/users/${id}`, { token: annToken });
      assert.equal(res.status, 404, `no account ${id}`);
    }
  });

  await t.step("the provider's clock may run a little ahead", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await sharedSecretToken(APP_SECRET, {
      sub: "early",
      iat: now + 30,
      nbf: now + 30,
    });
    assert.equal((await login(url, token)).status, 201);
  });

  await t.step(
    "a taken or invalid username gets a tail; two first logins at once make one",
    async () => {
      const ids = ["bob-1", "bob-1", "bob-1"];
      const answers = await Promise.all(
        ids.map(async (id) =>
          login(url, await sharedSecretToken(APP_SECRET, { sub: id, preferred_username: "ann" }))
        ),
      );
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 201]);
      const usernames = new Set(answers.map((a) => a.body.user.username));
      assert.equal(usernames.size, 1);
      assert.match([...usernames][0], /^ann_[0-9a-f]{8}$/);
      const odd = await sharedSecretToken(APP_SECRET, { sub: "cy", preferred_username: "c y!" });
      assert.match((await login(url, odd)).body.user.username, /^user_[0-9a-f]{8}$/);
    },
  );

  await t.step("the account chats with password users, its id in paths as it is", async () => {
    const carol = await register(url, "carol");
    const path = `/api/friends/${encodeURIComponent(sub)}`;
    assert.equal((await api(url, "POST", path, { token: carol.token })).status, 204);
    const chat = await api(url, "POST", "/api/chats", {
      token: carol.token,
      body: { type: "direct", participantIds: [sub] },
    });
    assert.equal(chat.status, 201);
    const ann = await connect(url, annToken);
    try {
      await api(url, "POST", `/api/chats/${chat.body.chat.id}/messages`, {
        token: carol.token,
        body: { content: "hi Ann" },
      });
      await until("Ann gets Carol's message", () => ann.received.length === 1);
      const sent = await emitAck(ann, "message:send", {
        chatId: chat.body.chat.id,
        content: "hi Carol",
        clientMsgId: crypto.randomUUID(),
      });
      assert.equal(sent.ok, true);
      assert.equal(sent.message.senderId, sub);
    } finally {
      ann.close();
    }
  });

  await t.step("no password: password logins and changes are refused", async () => {
    const res = await api(url, "POST", "/api/auth/login", {
      body: { username: "ann", password: "anything-at-all" },
    });
    assert.equal(res.status, 401);
    const change = await api(url, "PUT", "/api/auth/password", {
      token: annToken,
      body: { currentPassword: "anything-at-all", newPassword: "a-new-password" },
    });
    assert.equal(change.status, 403);
    assert.equal(change.body.error.details.reason, "external");
  });

  await t.step("deleting it takes a recent login, then it cannot come back", async () => {
    const old = await login(url, await sharedSecretToken(APP_SECRET, { sub: "dora" }));
    // A login older than five minutes, as the server signs it.
    const { payload } = decode(old.body.token);
    const stale = await sign({ ...payload, auth_time: payload.auth_time as number - 301 }, SECRET);
    const refused = await api(url, "DELETE", "/api/auth/me", { token: stale, body: {} });
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal(refused.body.error.details.reason, "reauthenticate");
    const done = await api(url, "DELETE", "/api/auth/me", { token: old.body.token, body: {} });
    assert.equal(done.status, 204);
    const again = await login(url, await sharedSecretToken(APP_SECRET, { sub: "dora" }));
    assert.equal(again.status, 403);
    assert.equal(again.body.error.details.reason, "deleted");
  });

  await t.step("a suspended account cannot log in through the app", async () => {
    const path = `/api/admin/users/${encodeURIComponent(sub)}/suspension`;
    const put = await api(url, "PUT", path, { token: ADMIN_TOKEN, body: { reason: "spam" } });
    assert.equal(put.status, 200);
    const res = await login(url, await sharedSecretToken(APP_SECRET, claims));
    assert.equal(res.status, 403);
    assert.equal(res.body.error.details.reason, "suspended");
  });

  await t.step("a password account's id cannot be logged into through the app", async () => {
    const erin = await register(url, "erin");
    const res = await login(url, await sharedSecretToken(APP_SECRET, { sub: erin.user.id }));
    assert.equal(res.status, 409);
  });

  await server.close();
});
