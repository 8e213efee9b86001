/**
 * Pinning chats to the top of one's list through real HTTP and sockets: pinned
 * chats come first, the latest pinned first, whatever the activity of the
 * others, also across pages; at most five; the user's devices hear it
 * (`chat:preferences`); a refused pin changes nothing.
 */
import assert from "node:assert/strict";
import type { ChatPreferencesEvent } from "../../src/protocol/mod.ts";
import { api, registerAll, SocketPool, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST pinned chats: first in the list, at most five", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob] = await registerAll(url, "alice", "bob");
  const groups: string[] = [];
  for (let i = 0; i < 7; i++) {
    const created = await api(url, "POST", "/api/chats", {
      token: alice.token,
      body: { type: "group", name: `g${i}`, participantIds: [bob.user.id] },
    });
    groups.push(created.body.chat.id);
  }
  const pin = (id: string, method: "PUT" | "DELETE" = "PUT", token = alice.token) =>
    api(url, method, `/api/chats/${id}/pin`, { token });
  const order = async (token = alice.token) =>
    (await api(url, "GET", "/api/chats?limit=100", { token })).body.chats.map((
      c: { id: string },
    ) => c.id);
  const pool = new SocketPool(url);

  try {
    const phone = await pool.open(alice.token);
    const told = () =>
      phone.events.filter(([name]) => name === "chat:preferences")
        .map(([, p]) => p as ChatPreferencesEvent);

    await t.step("pinned first, the latest pinned first, over newer activity", async () => {
      const res = await pin(groups[1]);
      assert.equal(res.status, 200);
      assert.equal(res.body.chat.pinned, true);
      await pin(groups[3]);
      await api(url, "POST", `/api/chats/${groups[6]}/messages`, {
        token: bob.token,
        body: { content: "newest activity" },
      });
      const list = await order();
      assert.deepEqual(list.slice(0, 3), [groups[3], groups[1], groups[6]]);
      assert.deepEqual((await order(bob.token))[0], groups[6], "bob pinned nothing");
      const paged = [];
      let cursor = "";
      do {
        const page = await api(url, "GET", `/api/chats?limit=2${cursor}`, { token: alice.token });
        paged.push(...page.body.chats.map((c: { id: string }) => c.id));
        cursor = page.body.nextCursor ? `&cursor=${page.body.nextCursor}` : "";
      } while (cursor);
      assert.deepEqual(paged, list, "pages in the same order, each chat once");
      await until("told", () => told().length === 2);
      assert.deepEqual(told()[0], { chatId: groups[1], pinned: true });
    });

    await t.step("pinning again keeps the place; at most five", async () => {
      await pin(groups[1]);
      assert.deepEqual((await order()).slice(0, 2), [groups[3], groups[1]], "kept its place");
      for (const i of [0, 2, 4]) assert.equal((await pin(groups[i])).status, 200);
      const refused = await pin(groups[5]);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, "conflict");
      const chat = await api(url, "GET", `/api/chats/${groups[5]}`, { token: alice.token });
      assert.equal(chat.body.chat.pinned, undefined, "nothing changed");
    });

    await t.step("unpinned: back among the others; refusals", async () => {
      const res = await pin(groups[3], "DELETE");
      assert.equal(res.body.chat.pinned, undefined);
      assert.equal((await pin(groups[5])).status, 200, "room for one more");
      assert.equal((await order())[0], groups[5]);
      const outsider = (await registerAll(url, "carol"))[0];
      assert.equal((await pin(groups[0], "PUT", outsider.token)).status, 403);
      assert.equal((await pin("no-such-chat")).status, 404);
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
