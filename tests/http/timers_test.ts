/**
 * Disappearing messages through real HTTP and sockets: a member sets a chat's
 * timer and every member hears it; messages sent while it is set carry
 * `expiresAt`, later ones after it is off do not; in a group that keeps editing
 * for its admins only they set it; bad values are 400. Once a message's time is
 * up (moved there in the stopped server's file), the server deletes it for
 * everyone, with its files, as it starts.
 */
import assert from "node:assert/strict";
import {
  api,
  directChat,
  emitAck,
  history,
  registerAll,
  scrape,
  SocketPool,
  until,
} from "../_helpers/client.ts";
import { expireNow } from "../_helpers/crash.ts";
import { startTestServer } from "../_helpers/server.ts";
import { download, upload } from "../_helpers/files.ts";

const later = (iso: string, seconds: number) =>
  new Date(Date.parse(iso) + seconds * 1000).toISOString();

Deno.test("REST timers: disappearing messages", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "chat-test-" });
  let server = await startTestServer({ DATA_DIR: dataDir });
  const [alice, bob, carol] = await registerAll(server.url, "alice", "bob", "carol");
  const direct = await directChat(server.url, alice, bob);
  const timer = (token: string, chatId: string, seconds: unknown) =>
    api(server.url, "PUT", `/api/chats/${chatId}/timer`, { token, body: { seconds } });
  let pool = new SocketPool(server.url);
  let expiring: { id: string; expiresAt: string; attachments: { id: string }[] };

  try {
    await t.step("set by a member, heard by the chat, stamped on new messages", async () => {
      const aliceSocket = await pool.open(alice.token);
      const res = await timer(bob.token, direct, 3600);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.chat.messageTimer, 3600);
      await until(
        "alice heard it",
        () =>
          aliceSocket.events.some(([name, e]) =>
            name === "chat:updated" && (e as { messageTimer?: number }).messageTimer === 3600
          ),
      );
      const secret = { chatId: direct, name: "a.txt", body: "secret", type: "text/plain" };
      const { file } = (await upload(server.url, alice.token, secret)).body;
      const ack = await emitAck(aliceSocket, "message:send", {
        chatId: direct,
        content: "gone in an hour",
        clientMsgId: "t1",
        attachments: [file.id],
      });
      expiring = ack.message;
      assert.equal(expiring.expiresAt, later(ack.message.createdAt, 3600));
      const [seen] = await history(server.url, bob.token, direct);
      assert.equal(seen.expiresAt, expiring.expiresAt);
      const chat = await api(server.url, "GET", `/api/chats/${direct}`, { token: alice.token });
      assert.equal(chat.body.chat.messageTimer, 3600);
    });

    await t.step("off: later messages stay, earlier ones keep their time", async () => {
      const res = await timer(alice.token, direct, null);
      assert.equal(res.body.chat.messageTimer, undefined);
      const posted = await api(server.url, "POST", `/api/chats/${direct}/messages`, {
        token: alice.token,
        body: { content: "this one stays" },
      });
      assert.equal(posted.body.message.expiresAt, undefined);
      const [earlier] = await history(server.url, bob.token, direct); // oldest first
      assert.equal(earlier.expiresAt, expiring.expiresAt);
    });

    await t.step("refused: bad values, outsiders, members of an admins-only group", async () => {
      for (const seconds of [10, 366 * 86_400, 1.5, "60", undefined]) {
        const res = await timer(alice.token, direct, seconds);
        assert.equal(res.status, 400, `seconds ${seconds}`);
      }
      assert.equal((await timer(carol.token, direct, 60)).status, 403);
      const group = (await api(server.url, "POST", "/api/chats", {
        token: alice.token,
        body: { type: "group", name: "club", participantIds: [carol.user.id] },
      })).body.chat.id;
      assert.equal((await timer(carol.token, group, 60)).status, 200, "members may by default");
      await api(server.url, "PUT", `/api/chats/${group}/permissions`, {
        token: alice.token,
        body: { edit: "admins" },
      });
      const refused = await timer(carol.token, group, 120);
      assert.equal(refused.status, 403);
      assert.equal((await timer(alice.token, group, 120)).body.chat.messageTimer, 120);
    });

    await t.step("once its time is up the server deletes it for everyone", async () => {
      pool.closeAll();
      await server.close();
      await expireNow(dataDir, expiring.id);
      server = await startTestServer({ DATA_DIR: dataDir });
      pool = new SocketPool(server.url);
      await until("deleted as the server starts", async () => {
        const list = await history(server.url, bob.token, direct);
        return list.find((m) => m.id === expiring.id)?.deleted === true;
      }, 5000); // before the first 10 s round: the round at start did it
      const [gone, stays] = await history(server.url, bob.token, direct);
      assert.deepEqual([stays.content, stays.deleted], ["this one stays", undefined]);
      assert.deepEqual([gone.content, gone.attachments, gone.expiresAt], [
        "",
        undefined,
        undefined,
      ]);
      const file = await download(server.url, bob.token, expiring.attachments[0].id);
      assert.equal(file.status, 404, "its file went with it");
      assert.equal((await scrape(server.url))("chat_messages_expired_total"), 1);
      await file.body?.cancel();
    });
  } finally {
    pool.closeAll();
    await server.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
