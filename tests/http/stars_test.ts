/**
 * Starred messages through real HTTP and sockets: a member stars messages of
 * any of their chats and lists them, the latest first, a page at a time; their
 * other devices hear of each change and nobody else does; refusals change
 * nothing; a star of a message deleted since, or of a chat left, is not listed;
 * a deleted account's stars leave the store (read back from the KV file).
 */
import assert from "node:assert/strict";
import { openKvStore } from "../../src/adapters/kv/mod.ts";
import {
  api,
  type ApiResponse,
  directChat,
  PASSWORD,
  registerAll,
  sleep,
  SocketPool,
  until,
} from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST stars: a user's starred messages across chats", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "chat-stars-" });
  const server = await startTestServer({ DATA_DIR: dataDir });
  const { url } = server;
  const [alice, bob, carol] = await registerAll(url, "alice", "bob", "carol");
  const directId = await directChat(url, alice, bob);
  const group = await api(url, "POST", "/api/chats", {
    token: alice.token,
    body: { type: "group", name: "club", participantIds: [bob.user.id, carol.user.id] },
  });
  const groupId = group.body.chat.id;
  const post = async (chatId: string, content: string) =>
    (await api(url, "POST", `/api/chats/${chatId}/messages`, {
      token: alice.token,
      body: { content },
    })).body.message.id as string;
  const [m1, m2, m3] = [
    await post(directId, "address"),
    await post(groupId, "plan"),
    await post(groupId, "date"),
  ];
  const star = (id: string, token = bob.token) =>
    api(url, "PUT", `/api/messages/${id}/star`, { token });
  const unstar = (id: string, token = bob.token) =>
    api(url, "DELETE", `/api/messages/${id}/star`, { token });
  const starred = async (query = "", token = bob.token) =>
    (await api(url, "GET", `/api/starred${query}`, { token })).body;
  const listed = async (token = bob.token) =>
    (await starred("", token)).stars.map((s: { message: { id: string } }) => s.message.id);
  const pool = new SocketPool(url);
  const heard = (socket: { events: [string, unknown][] }) =>
    socket.events.filter(([name]) => name === "message:starred").map(([, p]) => p);

  try {
    const [phone, sender] = await Promise.all([pool.open(bob.token), pool.open(alice.token)]);

    await t.step(
      "stars list the latest first, across chats; a repeat keeps the first",
      async () => {
        const first = await star(m1);
        assert.equal(first.status, 200);
        assert.equal(first.body.star.message.content, "address");
        await star(m2);
        assert.deepEqual(await listed(), [m2, m1]);
        const again = await star(m1);
        assert.equal(again.body.star.starredAt, first.body.star.starredAt, "starred once");
        assert.deepEqual(await listed(), [m2, m1], "and where it was");
        await until("bob's other device heard", () => heard(phone).length === 3);
        assert.deepEqual(heard(phone)[0], {
          messageId: m1,
          starred: true,
          starredAt: first.body.star.starredAt,
        });
        await sleep(100);
        assert.deepEqual(heard(sender), [], "the sender is not told");
      },
    );

    await t.step("a page at a time", async () => {
      await star(m3);
      const page = await starred("?limit=2");
      assert.deepEqual(page.stars.map((s: { message: { id: string } }) => s.message.id), [m3, m2]);
      const next = await starred(`?limit=2&cursor=${page.nextCursor}`);
      assert.deepEqual(next.stars.map((s: { message: { id: string } }) => s.message.id), [m1]);
      assert.equal(next.nextCursor, null);
    });

    await t.step("refusals change nothing", async () => {
      const told = heard(phone).length;
      const refusals: [Promise<ApiResponse>, number, string][] = [
        [star(m1, carol.token), 403, "forbidden"], // not in the direct chat
        [star("no-such-message"), 404, "not_found"],
        [star(m1, ""), 401, "unauthorized"],
        [api(url, "GET", "/api/starred?limit=0", { token: bob.token }), 400, "invalid_payload"],
      ];
      for (const [request, status, code] of refusals) {
        const res = await request;
        assert.equal(res.status, status, JSON.stringify(res.body));
        assert.equal(res.body.error.code, code);
      }
      assert.deepEqual(await listed(carol.token), []);
      await sleep(100);
      assert.equal(heard(phone).length, told, "no device told of a change");
    });

    await t.step("deleted since, or of a chat left: not listed; still unstarred", async () => {
      await api(url, "DELETE", `/api/messages/${m1}`, { token: alice.token });
      assert.deepEqual(await listed(), [m3, m2]);
      assert.equal((await star(m1)).status, 409, "a deleted message is not starred anew");
      await api(url, "DELETE", `/api/chats/${groupId}/participants/${bob.user.id}`, {
        token: bob.token,
      });
      assert.deepEqual(await listed(), []);
      const res = await unstar(m2);
      assert.equal(res.status, 204);
      assert.equal((await unstar(m2)).status, 204, "again: fine");
      await until(
        "the unstar was told",
        () => heard(phone).some((e) => !(e as { starred: boolean }).starred),
      );
      assert.deepEqual(heard(phone).at(-1), { messageId: m2, starred: false });
    });

    await t.step("a deleted account's stars leave the store", async () => {
      assert.equal((await star(m3, carol.token)).status, 200);
      const gone = await api(url, "DELETE", "/api/auth/me", {
        token: carol.token,
        body: { password: PASSWORD },
      });
      assert.equal(gone.status, 204);
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
  const store = await openKvStore({ path: `${dataDir}/chat.kv` });
  try {
    assert.deepEqual(await store.stars.list(carol.user.id, { limit: 10 }), []);
    assert.equal((await store.stars.list(bob.user.id, { limit: 10 })).length, 2, "bob keeps his");
  } finally {
    await store.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
