/**
 * `DELETE /api/admin/users/:userId`: operators (or the app's backend, holding
 * `ADMIN_TOKEN`) delete an account as its user would, without the password.
 */
import assert from "node:assert/strict";
import {
  api,
  connect,
  directChat,
  history,
  registerAll,
  tokenWorks,
  until,
} from "../_helpers/client.ts";
import { APP_SECRET, SHARED_SECRET_ENV, sharedSecretToken } from "../_helpers/identity_provider.ts";
import { ADMIN_TOKEN, startTestServer } from "../_helpers/server.ts";

Deno.test("REST admin: operators delete an account", async (t) => {
  const server = await startTestServer({
    ADMIN_TOKEN,
    ...SHARED_SECRET_ENV,
  });
  const { url } = server;
  const remove = (userId: string, token = ADMIN_TOKEN) =>
    api(url, "DELETE", `/api/admin/users/${encodeURIComponent(userId)}`, { token });
  const [ann, bob] = await registerAll(url, "ann", "bob");
  const chatId = await directChat(url, ann, bob);
  await api(url, "POST", `/api/chats/${chatId}/messages`, {
    token: ann.token,
    body: { content: "before I go" },
  });
  const socket = await connect(url, ann.token);

  try {
    await t.step("the account goes: its logins end, its messages stay", async () => {
      assert.equal((await remove(ann.user.id)).status, 204);
      assert.equal(await tokenWorks(url, ann.token), false);
      await until("Ann's socket is closed", () => socket.disconnectReason !== undefined);
      const seen = await api(url, "GET", `/api/users/${ann.user.id}`, { token: bob.token });
      assert.equal(seen.body.user.deleted, true);
      const messages = await history(url, bob.token, chatId);
      assert.deepEqual(messages.map((m) => m.content), ["before I go"]);
      const admin = await api(url, "GET", `/api/admin/users/${ann.user.id}`, {
        token: ADMIN_TOKEN,
      });
      assert.ok(admin.body.user.deletedAt);
      assert.equal(admin.body.user.username, "", "the username is free again");
    });

    await t.step("again is 204; an unknown user 404; without the token 401", async () => {
      assert.equal((await remove(ann.user.id)).status, 204);
      assert.equal((await remove("nobody")).status, 404);
      assert.equal((await remove(bob.user.id, bob.token)).status, 401);
      assert.equal(await tokenWorks(url, bob.token), true, "Bob is untouched");
    });

    await t.step("an account of the app's identity provider cannot come back", async () => {
      const login = async () =>
        api(url, "POST", "/api/auth/external", {
          body: { token: await sharedSecretToken(APP_SECRET, { sub: "app-user-9" }) },
        });
      assert.equal((await login()).status, 201);
      assert.equal((await remove("app-user-9")).status, 204);
      const again = await login();
      assert.equal(again.status, 403);
      assert.equal(again.body.error.details.reason, "deleted");
    });
  } finally {
    socket.close();
    await server.close();
  }
});
