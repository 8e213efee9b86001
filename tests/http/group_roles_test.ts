/**
 * A group's roles through real HTTP and sockets: the owner names admins, who
 * remove members with no role; an admin steps down; the owner hands the group
 * over; when the owner leaves, the first admin owns it. The new group and every
 * change reach the members as `chat:updated`, and every refusal changes nothing.
 */
import assert from "node:assert/strict";
import {
  api,
  type ApiResponse,
  directChat,
  registerAll,
  SocketPool,
  until,
} from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST group roles: owner, admins, handover", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const users = await registerAll(url, "alice", "bob", "carol", "dave", "eve");
  const [alice, bob, carol, dave, eve] = users;
  const [a, b, c, d, e] = users.map((u) => u.user.id);
  const pool = new SocketPool(url);
  const watcher = await pool.open(dave.token); // connected before the group exists
  const heard = () =>
    watcher.events.filter(([name]) => name === "chat:updated").map(([, p]) =>
      p as { chatId: string; ownerId?: string; adminIds?: string[] }
    );
  const created = await api(url, "POST", "/api/chats", {
    token: alice.token,
    body: { type: "group", name: "club", participantIds: [b, c, d] },
  });
  const chatId = created.body.chat.id;
  const admin = (token: string, userId: string, method: "PUT" | "DELETE" = "PUT", id = chatId) =>
    api(url, method, `/api/chats/${id}/admins/${userId}`, { token });
  const handOver = (token: string, body: unknown) =>
    api(url, "PUT", `/api/chats/${chatId}/owner`, { token, body });
  const remove = (token: string, userId: string) =>
    api(url, "DELETE", `/api/chats/${chatId}/participants/${userId}`, { token });
  const roles = async (token = carol.token) => {
    const { ownerId, adminIds } = (await api(url, "GET", `/api/chats/${chatId}`, { token })).body
      .chat;
    return { ownerId, adminIds };
  };

  try {
    await t.step("a new group: its creator owns it, no admins; members hear of it", async () => {
      assert.equal(created.body.chat.ownerId, a);
      assert.deepEqual(created.body.chat.adminIds, []);
      await until("dave heard of the new group", () => heard().length === 1);
      assert.deepEqual(heard()[0], {
        chatId,
        participantIds: [a, b, c, d],
        name: "club",
        ownerId: a,
        adminIds: [],
        permissions: { add: "members", edit: "members" },
        version: 0,
      });
    });

    await t.step("the owner names admins, and every member hears", async () => {
      const res = await admin(alice.token, b);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.chat.adminIds, [b]);
      assert.deepEqual(await roles(), { ownerId: a, adminIds: [b] });
      await until("dave heard", () => heard().length === 2);
      assert.deepEqual(heard()[1], { ...heard()[1], ownerId: a, adminIds: [b] });
      assert.deepEqual((await admin(alice.token, b)).body.chat.adminIds, [b], "again: the same");
    });

    await t.step("refusals change nothing", async () => {
      const direct = await directChat(url, alice, eve);
      const refusals: [Promise<ApiResponse>, number, string][] = [
        [admin(carol.token, d), 403, "forbidden"], // a member names nobody
        [admin(bob.token, c), 403, "forbidden"], // nor does an admin
        [admin(carol.token, b, "DELETE"), 403, "forbidden"], // nor unnames another
        [admin(alice.token, a), 400, "invalid_payload"], // the owner is more than an admin
        [admin(alice.token, e), 404, "not_found"], // not a member
        [admin(eve.token, b), 403, "forbidden"], // nor the caller
        [admin(alice.token, e, "PUT", direct), 400, "invalid_payload"], // a direct chat has none
        [admin("", b), 401, "unauthorized"],
        [handOver(bob.token, { userId: c }), 403, "forbidden"],
        [handOver(alice.token, { userId: e }), 404, "not_found"],
        [handOver(alice.token, {}), 400, "invalid_payload"],
      ];
      for (const [request, status, code] of refusals) {
        const res = await request;
        assert.equal(res.status, status, JSON.stringify(res.body));
        assert.equal(res.body.error.code, code);
      }
      assert.deepEqual(await roles(), { ownerId: a, adminIds: [b] });
    });

    await t.step("an admin removes members with no role, not the owner or admins", async () => {
      await admin(alice.token, c);
      assert.equal((await remove(bob.token, c)).status, 403, "carol is an admin too");
      assert.equal((await remove(bob.token, a)).status, 403, "alice owns the group");
      assert.equal((await remove(bob.token, d)).status, 200);
      assert.equal((await remove(carol.token, d)).status, 404, "dave is out");
      assert.equal((await remove(dave.token, c)).status, 403, "and not a member to ask");
    });

    await t.step("an admin steps down; the owner unnames one", async () => {
      assert.deepEqual((await admin(bob.token, b, "DELETE")).body.chat.adminIds, [c]);
      assert.deepEqual((await admin(alice.token, c, "DELETE")).body.chat.adminIds, []);
      assert.equal((await admin(carol.token, c, "DELETE")).status, 200, "again: fine");
      assert.deepEqual(await roles(), { ownerId: a, adminIds: [] });
    });

    await t.step("the owner hands the group over and stays an admin", async () => {
      const res = await handOver(alice.token, { userId: b });
      assert.equal(res.status, 200);
      assert.deepEqual({ ownerId: res.body.chat.ownerId, adminIds: res.body.chat.adminIds }, {
        ownerId: b,
        adminIds: [a],
      });
      assert.equal((await admin(alice.token, c)).status, 403, "alice names no one now");
      assert.deepEqual((await admin(bob.token, c)).body.chat.adminIds, [a, c]);
      assert.equal((await remove(alice.token, b)).status, 403, "nor removes the owner");
    });

    await t.step("when the owner leaves, the first admin owns it, also later", async () => {
      assert.equal((await remove(bob.token, b)).status, 200);
      assert.deepEqual(await roles(), { ownerId: a, adminIds: [c] });
      assert.equal(
        (await api(url, "POST", `/api/chats/${chatId}/participants`, {
          token: carol.token,
          body: { userId: b },
        })).status,
        200,
      );
      assert.deepEqual(await roles(), { ownerId: a, adminIds: [c] }, "bob back: owns nothing");
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
