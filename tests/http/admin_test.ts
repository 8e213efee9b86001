/**
 * The operators' routes through real HTTP and sockets: a suspension ends the
 * user's logins at once and refuses new ones (telling only someone who knows
 * the password why), messages sent meanwhile wait for the user, lifting it lets
 * them back; a message taken down leaves a tombstone for every member; refused
 * requests change nothing, and only the admin token gets in; without
 * `ADMIN_TOKEN` the routes do not exist.
 */
import assert from "node:assert/strict";
import {
  api,
  type ApiResponse,
  directChat,
  history,
  logIn,
  PASSWORD,
  register,
  registerAll,
  SocketPool,
  tokenWorks,
  until,
} from "../_helpers/client.ts";
import { ADMIN_TOKEN, startTestServer } from "../_helpers/server.ts";

Deno.test("REST admin: operators suspend a user and take a message down", async (t) => {
  const server = await startTestServer({ ADMIN_TOKEN });
  const { url } = server;
  const [alice, bob, carol, dave] = await registerAll(url, "alice", "bob", "carol", "dave");
  const chatId = await directChat(url, alice, bob);
  const pool = new SocketPool(url);
  const admin = (method: string, path: string, body?: unknown, token = ADMIN_TOKEN) =>
    api(url, method, `/api/admin${path}`, { token, body });
  const suspension = `/users/${bob.user.id}/suspension`;
  const send = async (content: string, clientMsgId: string, token = alice.token) =>
    (await api(url, "POST", `/api/chats/${chatId}/messages`, {
      token,
      body: { content, clientMsgId },
    })).body.message;

  try {
    await t.step("an operator looks a user up, by id, username or email", async () => {
      const res = await admin("GET", `/users/${bob.user.id}`);
      assert.equal(res.status, 200);
      const { createdAt, ...rest } = res.body.user;
      assert.ok(createdAt);
      assert.deepEqual(rest, {
        id: bob.user.id,
        username: bob.user.username,
        email: `${bob.user.username}@example.com`,
        displayName: bob.user.username,
      });
      for (const login of [bob.user.username.toUpperCase(), `${bob.user.username}@example.com`]) {
        const found = await admin("GET", `/users?login=${encodeURIComponent(login)}`);
        assert.equal(found.status, 200, login);
        assert.deepEqual(found.body.user, res.body.user);
      }
      assert.equal((await admin("GET", "/users?login=nobody")).status, 404);
      assert.equal((await admin("GET", "/users?login=")).status, 400);
    });

    await t.step("a suspension ends the user's logins at once", async () => {
      const socket = await pool.open(bob.token);
      const res = await admin("PUT", suspension, { reason: "  spam wave " });
      assert.equal(res.status, 200);
      assert.equal(res.body.user.suspension.reason, "spam wave");
      assert.ok(res.body.user.suspension.suspendedAt);
      await until("bob's socket dropped", () => socket.disconnectReason !== undefined);
      const me = await api(url, "GET", "/api/auth/me", { token: bob.token });
      assert.equal(me.status, 401);
      assert.equal(me.body.error.details.reason, "suspended");
    });

    await t.step("a suspended user cannot log in, and only the password tells why", async () => {
      const right: ApiResponse = await logIn(url, bob);
      assert.equal(right.status, 403);
      assert.deepEqual(right.body.error, {
        code: "forbidden",
        message: "Account is suspended",
        details: { reason: "suspended" },
      });
      const wrong: ApiResponse = await logIn(url, bob, "wrong password");
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.details, undefined);
    });

    let since = "";
    let bobToken = "";
    await t.step("suspending again changes the reason and keeps the start", async () => {
      since = (await admin("GET", `/users/${bob.user.id}`)).body.user.suspension.suspendedAt;
      const again = await admin("PUT", suspension, { reason: "repeat offender" });
      assert.equal(again.status, 200);
      assert.deepEqual(again.body.user.suspension, {
        reason: "repeat offender",
        suspendedAt: since,
      });
    });

    await t.step("lifting it lets the user back to what was sent meanwhile", async () => {
      const waiting = await send("are you there?", "wait-1");
      assert.equal((await admin("DELETE", suspension)).status, 204);
      assert.equal((await admin("DELETE", suspension)).status, 204, "lifting twice is fine");
      assert.equal((await admin("GET", `/users/${bob.user.id}`)).body.user.suspension, undefined);
      const login = await logIn(url, bob);
      assert.equal(login.status, 200);
      assert.equal(await tokenWorks(url, bob.token), false, "old logins stay ended");
      bobToken = login.body.token;
      const socket = await pool.open(bobToken);
      await until("the waiting message arrived", () => socket.received.length === 1);
      assert.equal(socket.received[0].id, waiting.id);
    });

    await t.step("an operator takes a message down, for every member, pinned or not", async () => {
      const [aliceSocket, bobSocket] = [await pool.open(alice.token), pool.sockets.at(-1)!];
      const abusive = await send("something abusive", "abuse-1", bobToken);
      const pinned = await api(url, "PUT", `/api/messages/${abusive.id}/pin`, { token: bobToken });
      assert.deepEqual(pinned.body.chat.pinnedMessageIds, [abusive.id]);
      assert.equal((await admin("DELETE", `/messages/${abusive.id}`)).status, 204);
      const chat = await api(url, "GET", `/api/chats/${chatId}`, { token: alice.token });
      assert.equal(chat.body.chat.pinnedMessageIds, undefined, "and it left the pins");
      for (const socket of [aliceSocket, bobSocket]) {
        await until(
          "message:deleted reached each member",
          () =>
            socket.events.some(([name, payload]) =>
              name === "message:deleted" &&
              (payload as { messageId: string }).messageId === abusive.id
            ),
        );
      }
      const stored = (await history(url, alice.token, chatId)).find((m) => m.id === abusive.id);
      assert.equal(stored.deleted, true);
      assert.equal(stored.content, "");
      const lastChange = async () =>
        (await api(url, "GET", `/api/chats/${chatId}/messages`, { token: alice.token }))
          .body.lastChangeSeq;
      const before = await lastChange();
      assert.equal((await admin("DELETE", `/messages/${abusive.id}`)).status, 204, "twice too");
      assert.equal(await lastChange(), before, "and the second time changes nothing");
    });

    await t.step("refused requests change nothing", async () => {
      const gone = await api(url, "DELETE", "/api/auth/me", {
        token: dave.token,
        body: { password: PASSWORD },
      });
      assert.equal(gone.status, 204);
      const refusals: [string, string, unknown, number, string][] = [
        ["PUT", suspension, { reason: " " }, 400, "invalid_payload"],
        ["PUT", suspension, { reason: "x".repeat(501) }, 400, "invalid_payload"],
        ["PUT", suspension, {}, 400, "invalid_payload"],
        ["PUT", "/users/nobody/suspension", { reason: "spam" }, 404, "not_found"],
        ["PUT", `/users/${dave.user.id}/suspension`, { reason: "spam" }, 404, "not_found"],
        ["DELETE", "/users/nobody/suspension", undefined, 404, "not_found"],
        ["GET", "/users/nobody", undefined, 404, "not_found"],
        ["DELETE", "/messages/missing", undefined, 404, "not_found"],
      ];
      for (const [method, path, body, status, code] of refusals) {
        const res = await admin(method, path, body);
        assert.equal(res.status, status, `${method} ${path} ${JSON.stringify(body)}`);
        assert.equal(res.body.error.code, code);
      }
      assert.equal((await admin("GET", `/users/${bob.user.id}`)).body.user.suspension, undefined);
    });

    await t.step("only the admin token gets in", async () => {
      for (const token of ["", carol.token, `${ADMIN_TOKEN}x`]) {
        const res = await admin("PUT", suspension, { reason: "spam" }, token);
        assert.equal(res.status, 401);
        assert.equal((await admin("GET", `/users/${bob.user.id}`, undefined, token)).status, 401);
        assert.equal((await admin("GET", "/users?login=bob", undefined, token)).status, 401);
      }
      assert.equal((await logIn(url, bob)).status, 200, "bob was not suspended");
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});

Deno.test("REST admin: without ADMIN_TOKEN the admin routes do not exist", async () => {
  const server = await startTestServer();
  try {
    const user = await register(server.url);
    const res = await api(server.url, "GET", "/api/admin/reports", { token: user.token });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "not_found");
  } finally {
    await server.close();
  }
});
