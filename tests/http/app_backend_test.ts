/**
 * `/api/app/*`: the app's backend, with `APP_BACKEND_TOKEN`, makes its users'
 * accounts, opens the chat of an order and writes in it as its shop's account,
 * reads and edits as its users, and deletes their accounts; never for people
 * who registered here with a password, nor for a suspended or deleted account.
 */
import assert from "node:assert/strict";
import { api, connect, register, until } from "../_helpers/client.ts";
import { APP_SECRET, SHARED_SECRET_ENV, sharedSecretToken } from "../_helpers/identity_provider.ts";
import { ADMIN_TOKEN, APP_BACKEND_TOKEN, startTestServer } from "../_helpers/server.ts";

Deno.test("REST app backend: accounts, an order's chat, acting as its users", async (t) => {
  const server = await startTestServer({
    ...SHARED_SECRET_ENV,
    APP_BACKEND_TOKEN,
    ADMIN_TOKEN,
    DIRECT_CHAT_POLICY: "open",
    // A person's limits, which the app is not held to: its shop sends three messages
    // and makes a dozen requests as its users.
    RATE_LIMIT_MESSAGES: "2",
    API_REQUEST_LIMIT: "4",
    MAX_BODY_BYTES: "2048", // an upload is held to MAX_FILE_BYTES instead
  });
  const { url } = server;
  const app = (method: string, path: string, body?: unknown, token = APP_BACKEND_TOKEN) =>
    api(url, method, `/api/app${path}`, { token, body });
  const buyer = encodeURIComponent("buyer|1");
  let chatId = "";
  let firstId = "";

  try {
    await t.step("the shop writes in the order's chat, past a person's limit", async () => {
      assert.equal((await app("PUT", "/users/shop", { displayName: "Kim's Shop" })).status, 201);
      assert.equal((await app("PUT", `/users/${buyer}`, { displayName: "Ann" })).status, 201);
      const made = await app("POST", "/users/shop/chats", {
        type: "group",
        participantIds: ["buyer|1"],
        name: "Order 123",
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.deepEqual(made.body.chat.participantIds.toSorted(), ["buyer|1", "shop"]);
      chatId = made.body.chat.id;
      const sent = [];
      for (const [i, content] of ["order placed", "paid", "shipped"].entries()) {
        const res = await app("POST", `/users/shop/chats/${chatId}/messages`, {
          content,
          clientMsgId: `order-123-${i}`,
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        sent.push(res.body.message);
      }
      assert.deepEqual(sent.map((m) => `${m.seq} ${m.senderId}`), ["1 shop", "2 shop", "3 shop"]);
      firstId = sent[0].id;
      const again = await app("POST", `/users/shop/chats/${chatId}/messages`, {
        content: "order placed",
        clientMsgId: "order-123-0",
      });
      assert.equal(again.body.message.id, firstId, "a retry stores nothing new");

      const token = await sharedSecretToken(APP_SECRET, { sub: "buyer|1" });
      const login = await api(url, "POST", "/api/auth/external", { body: { token } });
      assert.equal(login.status, 200, "the app made the account");
      const ann = await connect(url, login.body.token);
      try {
        await until("Ann gets the order's messages", () => ann.received.length === 3);
        assert.deepEqual(ann.received.map((m) => m.content), ["order placed", "paid", "shipped"]);
      } finally {
        ann.close();
      }
      // Ann's own token is held to the limit of two messages a window.
      const own = [];
      for (const content of ["one", "two", "three"]) {
        const req = { token: login.body.token, body: { content } };
        own.push((await api(url, "POST", `/api/chats/${chatId}/messages`, req)).status);
      }
      assert.deepEqual(own, [201, 201, 429]);
    });

    await t.step("as its users: their chats, the history, an edit", async () => {
      const chats = await app("GET", `/users/${buyer}/chats`);
      assert.equal(chats.status, 200);
      assert.deepEqual(chats.body.chats.map((c: { id: string }) => c.id), [chatId]);
      const history = await app("GET", `/users/${buyer}/chats/${chatId}/messages`); // newest first
      assert.deepEqual(
        history.body.messages.map((m: { content: string }) => m.content),
        ["two", "one", "shipped", "paid", "order placed"],
      );
      const edited = await app("PUT", `/users/shop/messages/${firstId}`, {
        content: "order 123 placed",
      });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(edited.body.message.content, "order 123 placed");
      const notHers = await app("PUT", `/users/${buyer}/messages/${firstId}`, { content: "x" });
      assert.equal(notHers.status, 403, "the rules of the user's own request hold");
      assert.equal((await app("PUT", "/users/stranger", {})).status, 201);
      assert.equal((await app("GET", `/users/stranger/chats/${chatId}/messages`)).status, 403);
    });

    await t.step("routes that name another user: the group's owner adds and removes", async () => {
      const members = `/users/shop/chats/${chatId}/participants`;
      const added = await app("POST", members, { userId: "stranger" });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      assert.equal((await app("PUT", `/users/shop/chats/${chatId}/admins/stranger`)).status, 200);
      const removed = await app("DELETE", `${members}/stranger`);
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.deepEqual(removed.body.chat.participantIds.toSorted(), ["buyer|1", "shop"]);
    });

    await t.step("a file larger than a request's body limit, uploaded as the shop", async () => {
      const res = await fetch(`${url}/api/app/users/shop/chats/${chatId}/files?name=invoice.pdf`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${APP_BACKEND_TOKEN}`,
          "Content-Type": "application/pdf",
        },
        body: new Uint8Array(8192),
      });
      const body = await res.json();
      assert.equal(res.status, 201, JSON.stringify(body));
      assert.equal(body.file.size, 8192);
    });

    await t.step("refused: other tokens, password accounts, suspended users", async () => {
      const carol = await register(url, "carol");
      const path = `/users/${buyer}/chats`;
      assert.equal((await app("GET", path, undefined, "x".repeat(40))).status, 401);
      assert.equal((await app("GET", path, undefined, ADMIN_TOKEN)).status, 401);
      assert.equal((await app("GET", path, undefined, carol.token)).status, 401);
      const admin = await api(url, "GET", "/api/admin/reports", { token: APP_BACKEND_TOKEN });
      assert.equal(admin.status, 401, "the app's token is not the operators'");
      const user = await api(url, "GET", "/api/chats", { token: APP_BACKEND_TOKEN });
      assert.equal(user.status, 401, "nor a user's");

      const asCarol = await app("GET", `/users/${carol.user.id}/chats`);
      assert.equal(asCarol.status, 403);
      assert.equal(asCarol.body.error.details.reason, "password_account");
      const login = await app("POST", `/users/${carol.user.id}/login`);
      assert.equal(login.body.error.details.reason, "password_account");
      const gone = await app("DELETE", `/users/${carol.user.id}`);
      assert.equal(gone.body.error.details.reason, "password_account");
      assert.equal((await api(url, "GET", "/api/auth/me", { token: carol.token })).status, 200);
      assert.equal((await app("GET", "/users/nobody/chats")).status, 404);

      const suspension = `/api/admin/users/${buyer}/suspension`;
      const body = { reason: "spam" };
      assert.equal((await api(url, "PUT", suspension, { token: ADMIN_TOKEN, body })).status, 200);
      const suspended = await app("POST", `${path}/${chatId}/messages`, { content: "hi" });
      assert.equal(suspended.status, 403);
      assert.equal(suspended.body.error.details.reason, "suspended");
      await api(url, "DELETE", suspension, { token: ADMIN_TOKEN });
      assert.equal((await app("GET", path)).status, 200, "lifted");
    });

    await t.step("deletes its user's account, and again", async () => {
      assert.equal((await app("DELETE", `/users/${buyer}`)).status, 204);
      assert.equal((await app("DELETE", `/users/${buyer}`)).status, 204);
      const asAnn = await app("GET", `/users/${buyer}/chats`);
      assert.equal(asAnn.body.error.details.reason, "deleted");
      assert.equal((await app("DELETE", "/users/nobody")).status, 404);
      const view = await api(url, "GET", `/api/admin/users/${buyer}`, { token: ADMIN_TOKEN });
      assert.ok(view.body.user.deletedAt);
      assert.equal(view.body.user.external, true, "still the provider's account");
    });
  } finally {
    await server.close();
  }
});

Deno.test("REST app backend: without APP_BACKEND_TOKEN the routes are 404", async () => {
  const server = await startTestServer({ ...SHARED_SECRET_ENV, ADMIN_TOKEN });
  try {
    const res = await api(server.url, "PUT", "/api/app/users/ann", {
      token: ADMIN_TOKEN,
      body: {},
    });
    assert.equal(res.status, 404);
  } finally {
    await server.close();
  }
});
