/**
 * Group invite links through real HTTP and sockets: a member makes a link, a
 * stranger previews the group and joins it by themselves (history from then
 * on, the members told); a new link revokes the last; only members who may add
 * make or read links, and a link stops when its maker leaves or may no longer
 * add; a block, a full group and bad codes are refused and change nothing.
 */
import assert from "node:assert/strict";
import {
  api,
  type ApiResponse,
  history,
  registerAll,
  sleep,
  SocketPool,
  until,
} from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST invite links: joining a group by a link", async (t) => {
  const server = await startTestServer({ MAX_GROUP_SIZE: "4" });
  const { url } = server;
  const names = ["alice", "bob", "carol", "dave", "erin"];
  const [alice, bob, carol, dave, erin] = await registerAll(url, ...names);
  const club = { type: "group", name: "club", participantIds: [bob.user.id] };
  const chatId = (await api(url, "POST", "/api/chats", { token: alice.token, body: club })).body
    .chat.id;
  const link = (method: string, token: string) =>
    api(url, method, `/api/chats/${chatId}/invite`, { token });
  const preview = (code: string, token: string) =>
    api(url, "GET", `/api/invites/${code}`, { token });
  const join = (code: string, token: string) =>
    api(url, "POST", `/api/invites/${code}/join`, { token });
  const chat = () => api(url, "GET", `/api/chats/${chatId}`, { token: alice.token });
  const participants = async () => (await chat()).body.chat.participantIds;
  const notFound = (res: ApiResponse) => {
    assert.equal(res.status, 404, JSON.stringify(res.body));
    assert.equal(res.body.error.code, "not_found");
  };
  const pool = new SocketPool(url);

  try {
    const bobSocket = await pool.open(bob.token);
    const updates = () => bobSocket.events.filter(([name]) => name === "chat:updated");
    let code = "";

    await t.step("a member makes a link; a stranger previews the group and joins", async () => {
      await api(url, "POST", `/api/chats/${chatId}/messages`, {
        token: alice.token,
        body: { content: "before carol" },
      });
      const made = await link("POST", alice.token);
      assert.equal(made.status, 201);
      code = made.body.invite.code;
      assert.match(code, /^[A-Za-z0-9_-]{22}$/);
      assert.equal(made.body.invite.chatId, chatId);
      assert.equal(made.body.invite.createdBy, alice.user.id);
      assert.deepEqual((await link("GET", bob.token)).body.invite, made.body.invite);

      const seen = await preview(code, carol.token);
      assert.equal(seen.status, 200);
      assert.deepEqual(seen.body.invite, {
        chatId,
        name: "club",
        memberCount: 2,
        member: false,
      });
      assert.equal(updates().length, 0, "a preview changes nothing");

      const carolSocket = await pool.open(carol.token);
      const joined = await join(code, carol.token);
      assert.equal(joined.status, 200, JSON.stringify(joined.body));
      assert.equal(joined.body.chat.id, chatId);
      assert.deepEqual(joined.body.chat.participantIds, [
        alice.user.id,
        bob.user.id,
        carol.user.id,
      ]);
      await until("bob heard carol join", () => updates().length === 1);
      assert.deepEqual(
        (updates()[0][1] as { participantIds: string[] }).participantIds,
        [alice.user.id, bob.user.id, carol.user.id],
      );
      assert.deepEqual(await history(url, carol.token, chatId), [], "history from joining on");
      await api(url, "POST", `/api/chats/${chatId}/messages`, {
        token: bob.token,
        body: { content: "welcome" },
      });
      await until(
        "carol got the next message",
        () => carolSocket.received.some((m) => m.content === "welcome"),
      );

      const { member, memberCount } = (await preview(code, carol.token)).body.invite;
      assert.deepEqual([member, memberCount], [true, 3]);
      const again = await join(code, carol.token);
      assert.equal(again.status, 200);
      assert.deepEqual(again.body.chat.participantIds, joined.body.chat.participantIds);
      await sleep(100);
      assert.equal(updates().length, 1, "joining again tells nobody anything");
    });

    await t.step("a new link revokes the last; revoking is idempotent", async () => {
      const renewed = await link("POST", bob.token);
      assert.equal(renewed.status, 201);
      assert.notEqual(renewed.body.invite.code, code);
      notFound(await preview(code, dave.token));
      notFound(await join(code, dave.token));
      code = renewed.body.invite.code;
      assert.equal((await preview(code, dave.token)).status, 200);
      assert.equal((await link("DELETE", alice.token)).status, 204);
      assert.equal((await link("DELETE", alice.token)).status, 204);
      notFound(await link("GET", alice.token));
      notFound(await join(code, dave.token));
      assert.deepEqual(await participants(), [alice.user.id, bob.user.id, carol.user.id]);
    });

    await t.step("only members who may add make or read links", async () => {
      for (const method of ["POST", "GET", "DELETE"]) {
        const res = await link(method, dave.token);
        assert.equal(res.status, 403, `${method} by a stranger`);
        assert.equal(res.body.error.code, "forbidden");
      }
      code = (await link("POST", bob.token)).body.invite.code;
      const keep = await api(url, "PUT", `/api/chats/${chatId}/permissions`, {
        token: alice.token,
        body: { add: "admins" },
      });
      assert.equal(keep.status, 200);
      for (const method of ["POST", "GET", "DELETE"]) {
        const res = await link(method, carol.token);
        assert.equal(res.status, 403, `${method} by a member`);
        assert.equal(res.body.error.details.reason, "admins_only");
      }
      notFound(await preview(code, dave.token));
      notFound(await join(code, dave.token));
      notFound(await link("GET", alice.token));
      await api(url, "PUT", `/api/chats/${chatId}/admins/${bob.user.id}`, { token: alice.token });
      assert.equal((await preview(code, dave.token)).status, 200, "bob may add again: it works");
    });

    await t.step("a link stops when its maker leaves", async () => {
      await api(url, "PUT", `/api/chats/${chatId}/permissions`, {
        token: alice.token,
        body: { add: "members" },
      });
      const left = await api(url, "DELETE", `/api/chats/${chatId}/participants/${bob.user.id}`, {
        token: bob.token,
      });
      assert.equal(left.status, 200);
      notFound(await preview(code, dave.token));
      notFound(await join(code, dave.token));
      assert.deepEqual(await participants(), [alice.user.id, carol.user.id]);
    });

    await t.step("a block between joiner and maker, and a full group, are refused", async () => {
      code = (await link("POST", alice.token)).body.invite.code;
      await api(url, "POST", `/api/blocks/${dave.user.id}`, { token: alice.token });
      const blocked = await join(code, dave.token);
      assert.equal(blocked.status, 403);
      assert.equal(blocked.body.error.details.reason, "blocked");
      await api(url, "DELETE", `/api/blocks/${dave.user.id}`, { token: alice.token });
      assert.equal((await join(code, dave.token)).status, 200);
      assert.equal((await join(code, bob.token)).status, 200, "bob comes back by the link");
      const full = await join(code, erin.token);
      assert.equal(full.status, 400, "MAX_GROUP_SIZE is 4");
      assert.equal(full.body.error.code, "invalid_payload");
      assert.deepEqual(await participants(), [
        alice.user.id,
        carol.user.id,
        dave.user.id,
        bob.user.id,
      ]);
    });

    await t.step("bad codes and direct chats", async () => {
      for (const bad of ["short", "x".repeat(23), "a+b/c=d*e%21aaaaaaaaaaaaa"]) {
        const res = await preview(encodeURIComponent(bad), erin.token);
        assert.equal(res.status, 400, bad);
        assert.equal(res.body.error.code, "invalid_payload");
      }
      notFound(await join("A".repeat(22), erin.token));
      assert.equal((await api(url, "GET", `/api/invites/${code}`)).status, 401, "no token");
      await api(url, "POST", `/api/friends/${erin.user.id}`, { token: alice.token });
      const direct = await api(url, "POST", "/api/chats", {
        token: alice.token,
        body: { type: "direct", participantIds: [erin.user.id] },
      });
      const res = await api(url, "POST", `/api/chats/${direct.body.chat.id}/invite`, {
        token: alice.token,
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, "invalid_payload");
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
