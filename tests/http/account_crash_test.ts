/**
 * An account deletion cut off by a crash, through real HTTP and a restart on
 * the same KV file: the account is marked deleted, as the first step of a
 * deletion leaves it; only the deleting login still works and nobody can log
 * in; asking again finishes the deletion, and the app's backend hears of it
 * then (the chat left and `user.deleted`).
 */
import assert from "node:assert/strict";
import {
  api,
  directChat,
  logIn,
  PASSWORD,
  registerAll,
  tokenWorks,
  until,
} from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { markDeleted } from "../_helpers/crash.ts";
import { webhookReceiver } from "../_helpers/webhook.ts";
import type { AppChatEvent, AppEvent, AppUserEvent } from "../../src/protocol/mod.ts";

Deno.test("REST auth: a deletion cut off by a crash finishes when asked again", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "chat-test-" });
  const hook = await webhookReceiver<AppEvent>();
  const env = {
    DATA_DIR: dataDir,
    EVENTS_WEBHOOK_URL: hook.url,
    WEBHOOK_SECRET: `whsec_${btoa("a secret of twenty-four bytes or more")}`,
  };
  let server = await startTestServer(env);
  const [alice, bob] = await registerAll(server.url, "alice", "bob");
  const chatId = await directChat(server.url, alice, bob);
  const phone = (await logIn(server.url, alice)).body.token;
  const works = (token: string) => tokenWorks(server.url, token);

  try {
    await t.step("as a crash after the first step leaves it", async () => {
      await server.close();
      await markDeleted(dataDir, alice);
      server = await startTestServer(env);
    });

    await t.step("only the deleting login counts; nobody can log in", async () => {
      assert.equal(await works(alice.token), true);
      assert.equal(await works(phone), false);
      assert.equal((await logIn(server.url, alice)).status, 401);
      const byEmail = await api(server.url, "POST", "/api/auth/login", {
        body: { email: alice.user.email, password: PASSWORD },
      });
      assert.equal(byEmail.status, 401, "the same answer as a wrong password");
    });

    await t.step("asking again finishes it", async () => {
      const again = await api(server.url, "DELETE", "/api/auth/me", {
        token: alice.token,
        body: { password: PASSWORD },
      });
      assert.equal(again.status, 204);
      assert.equal(await works(alice.token), false);
      const chats = await api(server.url, "GET", "/api/chats", { token: bob.token });
      assert.deepEqual(chats.body.chats[0].participantIds, [bob.user.id]);
      const seen = await api(server.url, "GET", `/api/users/${alice.user.id}`, {
        token: bob.token,
      });
      assert.equal(seen.body.user.deleted, true);
    });

    await t.step("the app's backend hears of it once it is finished", async () => {
      const types = ["chat.member_removed", "user.deleted"];
      await until("its events", () => types.every((t) => hook.jobs.some((e) => e.type === t)));
      // Not in order: the worker sends several at once.
      const after = hook.jobs.filter((e) => e.type !== "chat.created")
        .toSorted((a, b) => a.type.localeCompare(b.type));
      assert.deepEqual(after.map((e) => e.type), types, "each once");
      const [left, gone] = after as [AppChatEvent, AppUserEvent];
      assert.deepEqual(
        [left.data.chat.id, left.data.chat.participantIds, left.data.userId, left.data.actorId],
        [chatId, [bob.user.id], alice.user.id, undefined],
      );
      assert.deepEqual(gone.data, { userId: alice.user.id });
    });
  } finally {
    await server.close();
    await hook.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
