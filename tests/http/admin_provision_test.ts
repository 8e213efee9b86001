/**
 * `PUT /api/admin/users/:userId`: the app's backend makes an account of its
 * identity provider before its user ever logged in, so others can write to
 * them; the messages wait for their first login.
 */
import assert from "node:assert/strict";
import { api, connect, register, until } from "../_helpers/client.ts";
import { APP_SECRET, ISSUER, sharedSecretToken } from "../_helpers/identity_provider.ts";
import { ADMIN_TOKEN, startTestServer } from "../_helpers/server.ts";

Deno.test("REST admin: the app's backend makes an account before its first login", async (t) => {
  const server = await startTestServer({
    ADMIN_TOKEN,
    EXTERNAL_AUTH_ISSUER: ISSUER,
    EXTERNAL_AUTH_SECRET: APP_SECRET,
    DIRECT_CHAT_POLICY: "open",
  });
  const { url } = server;
  const put = (id: string, body: unknown, token = ADMIN_TOKEN) =>
    api(url, "PUT", `/api/admin/users/${encodeURIComponent(id)}`, { token, body });
  const bob = await register(url, "bob");

  try {
    await t.step("made (201), then brought in step (200)", async () => {
      const made = await put("shop|7", { username: "kimshop", displayName: "Kim's Shop" });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.deepEqual(
        [made.body.user.id, made.body.user.username, made.body.user.external],
        ["shop|7", "kimshop", true],
      );
      const avatar = "https://cdn.example.test/kim.png";
      const again = await put("shop|7", { username: "other", displayName: "Kim's Books", avatar });
      assert.equal(again.status, 200);
      assert.deepEqual(
        [again.body.user.username, again.body.user.displayName],
        ["kimshop", "Kim's Books"],
      );
    });

    await t.step("a message to it waits for its first login", async () => {
      const chat = await api(url, "POST", "/api/chats", {
        token: bob.token,
        body: { type: "direct", participantIds: ["shop|7"] },
      });
      assert.equal(chat.status, 201);
      await api(url, "POST", `/api/chats/${chat.body.chat.id}/messages`, {
        token: bob.token,
        body: { content: "is the atlas still for sale?" },
      });
      const token = await sharedSecretToken(APP_SECRET, { sub: "shop|7" });
      const res = await api(url, "POST", "/api/auth/external", { body: { token } });
      assert.equal(res.status, 200, "the account was there already");
      assert.equal(res.body.user.displayName, "Kim's Books");
      const kim = await connect(url, res.body.token);
      try {
        await until("Kim gets Bob's message", () => kim.received.length === 1);
        assert.equal(kim.received[0].content, "is the atlas still for sale?");
        assert.equal(kim.received[0].isNew, false);
      } finally {
        kim.close();
      }
    });

    await t.step("refused: a bad id or body, a password account, no admin token", async () => {
      assert.equal((await put("has space", {})).status, 400);
      assert.equal((await put("x".repeat(65), {})).status, 400);
      assert.equal((await put("shop-8", { avatar: "ftp://x/y.png" })).status, 400);
      assert.equal((await put("shop-8", { username: "a" })).status, 400);
      assert.equal((await put(bob.user.id, {})).status, 409);
      assert.equal((await put("shop-9", {}, bob.token)).status, 401);
      const none = await api(url, "GET", "/api/admin/users/shop-8", { token: ADMIN_TOKEN });
      assert.equal(none.status, 404, "nothing was made");
    });
  } finally {
    await server.close();
  }
});
