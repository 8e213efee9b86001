/**
 * A group's profile through real HTTP and sockets: a member sets its
 * description and avatar beside its name, each kept until changed or removed
 * (null), and every member hears the profile as it is now; bad values, an
 * empty change and a direct chat are refused and change nothing; a group that
 * keeps editing for its admins refuses a member.
 */
import assert from "node:assert/strict";
import type { ChatUpdatedEvent } from "../../src/protocol/mod.ts";
import { api, directChat, registerAll, SocketPool, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST group profile: name, description and avatar", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob] = await registerAll(url, "alice", "bob");
  const created = await api(url, "POST", "/api/chats", {
    token: alice.token,
    body: { type: "group", name: "club", participantIds: [bob.user.id] },
  });
  const chatId = created.body.chat.id;
  const change = (body: unknown, token = alice.token, id = chatId) =>
    api(url, "PUT", `/api/chats/${id}`, { token, body });
  const profile = async (token = bob.token) => {
    const { name, description, avatar } =
      (await api(url, "GET", `/api/chats/${chatId}`, { token })).body.chat;
    return { name, description, avatar };
  };
  const avatar = "https://example.com/club.png";
  const pool = new SocketPool(url);

  try {
    const bobSocket = await pool.open(bob.token);
    const heard = () =>
      bobSocket.events.filter(([name]) => name === "chat:updated")
        .map(([, payload]) => payload as ChatUpdatedEvent);

    await t.step("set beside the name, told to every member", async () => {
      const res = await change({ description: "  weekly readers ", avatar });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual([res.body.chat.description, res.body.chat.avatar], [
        "weekly readers",
        avatar,
      ]);
      assert.deepEqual(await profile(), { name: "club", description: "weekly readers", avatar });
      await until("bob heard it", () => heard().some((e) => e.description !== undefined));
      const event = heard().at(-1)!;
      assert.deepEqual([event.name, event.description, event.avatar], [
        "club",
        "weekly readers",
        avatar,
      ]);
      const listed = (await api(url, "GET", "/api/chats", { token: bob.token })).body.chats[0];
      assert.equal(listed.description, "weekly readers");
    });

    await t.step("each kept until changed, removed with null", async () => {
      assert.equal((await change({ name: "readers" }, bob.token)).status, 200);
      assert.deepEqual(await profile(), { name: "readers", description: "weekly readers", avatar });
      assert.equal((await change({ description: null })).status, 200);
      assert.deepEqual(await profile(), { name: "readers", description: undefined, avatar });
      await until("bob heard the removal", () => heard().at(-1)!.description === undefined);
      assert.equal(heard().at(-1)!.avatar, avatar);
    });

    await t.step("refused, and nothing changes", async () => {
      const bad = [
        {},
        { avatar: "javascript:alert(1)" },
        { avatar: "ftp://example.com/x.png" },
        { description: "x".repeat(501) },
        { description: "   " },
        { name: "" },
      ];
      for (const body of bad) {
        const res = await change(body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.error.code, "invalid_payload");
      }
      const direct = await directChat(url, alice, bob);
      assert.equal((await change({ description: "us" }, alice.token, direct)).status, 400);
      await api(url, "PUT", `/api/chats/${chatId}/permissions`, {
        token: alice.token,
        body: { edit: "admins" },
      });
      const member = await change({ description: "mine" }, bob.token);
      assert.equal(member.status, 403);
      assert.equal(member.body.error.details.reason, "admins_only");
      assert.deepEqual(await profile(), { name: "readers", description: undefined, avatar });
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
