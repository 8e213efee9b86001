/**
 * A group's permissions through real HTTP and sockets: by default every member
 * adds, renames and pins; once an admin keeps adding (`add`) or renaming and
 * pinning (`edit`) for the admins, a member's attempt is refused with
 * `details.reason` "admins_only" and changes nothing, while the owner and admins
 * go on. Only they set permissions; every change reaches the members. With
 * GROUP_ADD_POLICY=contacts, only the adder's friends and chat partners go in.
 */
import assert from "node:assert/strict";
import { api, type ApiResponse, registerAll, SocketPool, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST group permissions: adding, renaming and pinning kept for admins", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const users = await registerAll(url, "alice", "bob", "carol", "dave");
  const [alice, bob, carol] = users;
  const [a, b, c, d] = users.map((u) => u.user.id);
  const created = await api(url, "POST", "/api/chats", {
    token: alice.token,
    body: { type: "group", name: "club", participantIds: [b, c] },
  });
  const chatId = created.body.chat.id;
  const setPermissions = (token: string, body: unknown) =>
    api(url, "PUT", `/api/chats/${chatId}/permissions`, { token, body });
  const add = (token: string, userId: string) =>
    api(url, "POST", `/api/chats/${chatId}/participants`, { token, body: { userId } });
  const rename = (token: string, name: string) =>
    api(url, "PUT", `/api/chats/${chatId}`, { token, body: { name } });
  const message = await api(url, "POST", `/api/chats/${chatId}/messages`, {
    token: alice.token,
    body: { content: "rules" },
  });
  const pin = (token: string) =>
    api(url, "PUT", `/api/messages/${message.body.message.id}/pin`, { token });
  const chat = async () =>
    (await api(url, "GET", `/api/chats/${chatId}`, { token: carol.token })).body.chat;
  const pool = new SocketPool(url);
  const adminsOnly = (res: ApiResponse) => {
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(res.body.error.code, "forbidden");
    assert.equal(res.body.error.details.reason, "admins_only");
  };

  try {
    await t.step("by default every member adds, renames and pins", async () => {
      assert.deepEqual(created.body.chat.permissions, { add: "members", edit: "members" });
      assert.equal((await rename(carol.token, "Club")).status, 200);
      assert.equal((await pin(carol.token)).status, 200);
      assert.equal(
        (await api(url, "DELETE", `/api/messages/${message.body.message.id}/pin`, {
          token: carol.token,
        })).status,
        200,
      );
    });

    await t.step("only the owner and admins set them, and members hear", async () => {
      const watcher = await pool.open(carol.token);
      const refusals: [unknown, string, number, string][] = [
        [{ add: "admins" }, carol.token, 403, "forbidden"], // a member
        [{ add: "owner" }, alice.token, 400, "invalid_payload"],
        [{}, alice.token, 400, "invalid_payload"], // names nothing
        [{ add: "admins", pin: "admins" }, alice.token, 400, "invalid_payload"],
      ];
      for (const [body, token, status, code] of refusals) {
        const res = await setPermissions(token, body);
        assert.equal(res.status, status, JSON.stringify(body));
        assert.equal(res.body.error.code, code);
      }
      assert.deepEqual((await chat()).permissions, { add: "members", edit: "members" });
      await api(url, "PUT", `/api/chats/${chatId}/admins/${b}`, { token: alice.token });
      const res = await setPermissions(bob.token, { add: "admins" }); // an admin may
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.chat.permissions, { add: "admins", edit: "members" });
      await until("carol heard", () =>
        watcher.events.some(([name, p]) =>
          name === "chat:updated" &&
          (p as { permissions?: { add: string } }).permissions?.add === "admins"
        ));
    });

    await t.step("kept for admins: a member is refused, and nothing changes", async () => {
      adminsOnly(await add(carol.token, d));
      assert.deepEqual((await chat()).participantIds, [a, b, c]);
      assert.equal((await rename(carol.token, "ok")).status, 200, "edit is still every member's");
      assert.equal((await add(bob.token, d)).status, 200, "an admin adds");

      await setPermissions(alice.token, { edit: "admins" });
      adminsOnly(await rename(carol.token, "mine"));
      adminsOnly(await pin(carol.token));
      const now = await chat();
      assert.equal(now.name, "ok");
      assert.equal(now.pinnedMessageIds, undefined);
      assert.equal((await rename(bob.token, "Club")).status, 200, "an admin renames");
      assert.equal((await pin(alice.token)).status, 200, "the owner pins");
    });

    await t.step("given back to every member", async () => {
      const res = await setPermissions(alice.token, { add: "members", edit: "members" });
      assert.deepEqual(res.body.chat.permissions, { add: "members", edit: "members" });
      assert.equal((await rename(carol.token, "Carol's")).status, 200);
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});

Deno.test("REST groups: with GROUP_ADD_POLICY=contacts, only contacts go in", async () => {
  const server = await startTestServer({ GROUP_ADD_POLICY: "contacts" });
  const { url } = server;
  try {
    const [alice, bob, carol, dave] = await registerAll(url, "alice", "bob", "carol", "dave");
    const befriend = (a: typeof alice, b: typeof alice) =>
      api(url, "POST", `/api/friends/${b.user.id}`, { token: a.token });
    await befriend(alice, bob);
    await befriend(bob, carol);
    const group = (...members: (typeof alice)[]) =>
      api(url, "POST", "/api/chats", {
        token: alice.token,
        body: { type: "group", name: "club", participantIds: members.map((m) => m.user.id) },
      });
    const add = (token: string, chatId: string, user: typeof alice) =>
      api(url, "POST", `/api/chats/${chatId}/participants`, {
        token,
        body: { userId: user.user.id },
      });
    const chatCount = async () =>
      (await api(url, "GET", "/api/chats", { token: alice.token })).body.chats.length;

    const stranger = await group(bob, carol);
    assert.equal(stranger.status, 403, "carol is no contact of alice's");
    assert.equal(stranger.body.error.details.reason, "not_contact");
    assert.equal(await chatCount(), 0, "nothing was created");

    const club = await group(bob);
    assert.equal(club.status, 201, "a friend goes in");
    const chatId = club.body.chat.id;
    const refused = await add(alice.token, chatId, carol);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.details.reason, "not_contact");
    const byBob = await add(bob.token, chatId, carol);
    assert.equal(byBob.status, 200, "bob's friend, added by bob");
    assert.equal((await add(alice.token, chatId, carol)).status, 200, "a member already");

    assert.equal((await group(carol)).status, 201, "a chat partner now goes in");
    const withDave = await add(alice.token, chatId, dave);
    assert.equal(withDave.status, 403);
    const members = (await api(url, "GET", `/api/chats/${chatId}`, { token: alice.token })).body
      .chat.participantIds;
    assert.deepEqual(members, [alice.user.id, bob.user.id, carol.user.id], "dave stayed out");
  } finally {
    await server.close();
  }
});
