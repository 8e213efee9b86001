/**
 * The app's events about chats, against a local receiver: a chat created, a
 * member added or joining by link, a group's profile, roles, pins and timer, a
 * block, a member removed, leaving or deleting their account: one signed event
 * each, with the chat as it is after the change, who made it and whom it is
 * about, counted in the chat's version; a change that changes nothing sends
 * none. An account deleted: one event, the same again when the deletion is
 * repeated.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { api, directChat, registerAll, until } from "../_helpers/client.ts";
import { ADMIN_TOKEN, startTestServer } from "../_helpers/server.ts";
import { webhookReceiver } from "../_helpers/webhook.ts";
import type { AppChatEvent, AppEvent } from "../../src/protocol/mod.ts";

// An event's type, who made the change and whom it is about.
const whoWhom = (e: AppChatEvent) => [e.type, e.data.actorId, e.data.userId];

Deno.test("app events: chats made and changed, members added and removed, accounts deleted", async (t) => {
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  const hook = await webhookReceiver<AppEvent>();
  const server = await startTestServer({
    EVENTS_WEBHOOK_URL: hook.url,
    WEBHOOK_SECRET: secret,
    ADMIN_TOKEN,
  });
  const { url } = server;
  const [alice, bob, carol, dave] = await registerAll(url, "alice", "bob", "carol", "dave");
  let seen = 0;
  // The chat events since the last call, `count` of them, each checked against its signature.
  const next = async (count: number): Promise<AppChatEvent[]> => {
    const chatEvents = () => hook.hits.filter((h) => JSON.parse(h.body).type.startsWith("chat."));
    await until(`${count} more chat events`, () => chatEvents().length >= seen + count);
    const hits = chatEvents().slice(seen);
    seen += hits.length;
    assert.equal(hits.length, count, "no more than that");
    return hits.map((hit) => new Webhook(secret).verify(hit.body, hit.headers) as AppChatEvent);
  };
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await api(url, method, path, { token, body });
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  let groupId = "";

  await t.step("a group made: chat.created, as every member sees it, by its maker", async () => {
    const body = { type: "group", participantIds: [bob.user.id], name: "Team" };
    groupId = (await call("POST", "/api/chats", alice.token, body)).chat.id;
    const [event] = await next(1);
    assert.equal(event.type, "chat.created");
    assert.match(event.id, /^evt_/);
    assert.equal(event.data.actorId, alice.user.id);
    assert.equal(event.data.userId, undefined);
    const { createdAt, ...chat } = event.data.chat;
    assert.ok(Date.parse(createdAt) <= Date.parse(event.timestamp));
    assert.deepEqual(chat, {
      id: groupId,
      type: "group",
      createdBy: alice.user.id,
      name: "Team",
      participantIds: [alice.user.id, bob.user.id],
      ownerId: alice.user.id,
      adminIds: [],
      permissions: { add: "members", edit: "members" },
      version: 0,
    }, "nobody's unread count or preferences");
  });

  await t.step("a direct chat: chat.created once, asked for again: none", async () => {
    const chatId = await directChat(url, alice, carol);
    const [event] = await next(1);
    assert.equal(event.type, "chat.created");
    assert.equal(event.data.chat.id, chatId);
    assert.equal(event.data.chat.type, "direct");
    assert.equal(event.data.chat.blocked, false);
    const again = { type: "direct", participantIds: [carol.user.id] };
    assert.equal((await call("POST", "/api/chats", alice.token, again)).chat.id, chatId);
  });

  await t.step("added, or joined by link: chat.member_added; added again: none", async () => {
    const participants = `/api/chats/${groupId}/participants`;
    // Two racing requests: one adds her, and only that one tells (the last step counts them).
    const add = () => call("POST", participants, alice.token, { userId: carol.user.id });
    await Promise.all([add(), add()]);
    const [added] = await next(1);
    await call("POST", participants, bob.token, { userId: carol.user.id });
    const { invite } = await call("POST", `/api/chats/${groupId}/invite`, bob.token);
    await call("POST", `/api/invites/${invite.code}/join`, dave.token);
    const [joined] = await next(1);
    assert.deepEqual([added, joined].map(whoWhom), [
      ["chat.member_added", alice.user.id, carol.user.id],
      ["chat.member_added", dave.user.id, dave.user.id],
    ]);
    const everyone = [alice, bob, carol, dave].map((u) => u.user.id);
    assert.deepEqual(joined.data.chat.participantIds, everyone);
  });

  await t.step(
    "name, roles, pins, timer, permissions: chat.updated by whoever did it, once",
    async () => {
      // One at a time: events are not in order (retries, several workers).
      // Each change is made twice: the second changes nothing and sends nothing (the last step
      // counts every event).
      const twice = async (method: string, path: string, token: string, body?: unknown) => {
        await call(method, path, token, body);
        await call(method, path, token, body);
      };
      await twice("PUT", `/api/chats/${groupId}`, bob.token, { name: "Crew" });
      const [renamed] = await next(1);
      await twice("PUT", `/api/chats/${groupId}/admins/${bob.user.id}`, alice.token);
      const [admin] = await next(1);
      const { message } = await call("POST", `/api/chats/${groupId}/messages`, carol.token, {
        content: "pin me",
      });
      await twice("PUT", `/api/messages/${message.id}/pin`, dave.token);
      const [pinned] = await next(1);
      await twice("PUT", `/api/chats/${groupId}/timer`, carol.token, { seconds: 3600 });
      const [timer] = await next(1);
      // Set to its default while unset: no change either.
      await call("PUT", `/api/chats/${groupId}/permissions`, alice.token, { edit: "members" });
      await twice("PUT", `/api/chats/${groupId}/permissions`, alice.token, { add: "admins" });
      const [permissions] = await next(1);
      assert.deepEqual(
        [renamed, admin, pinned, timer, permissions].map((e) => [e.type, e.data.actorId]),
        [bob, alice, dave, carol, alice].map((u) => ["chat.updated", u.user.id]),
      );
      assert.equal(renamed.data.chat.name, "Crew");
      assert.deepEqual(admin.data.chat.adminIds, [bob.user.id]);
      assert.deepEqual(pinned.data.chat.pinnedMessageIds, [message.id]);
      assert.equal(timer.data.chat.messageTimer, 3600);
      assert.deepEqual(permissions.data.chat.permissions, { add: "admins", edit: "members" });
      // Deleting the message unpins it: the server's doing, so no actor.
      await call("DELETE", `/api/messages/${message.id}`, carol.token);
      const [unpinned] = await next(1);
      assert.equal(unpinned.type, "chat.updated");
      assert.equal(unpinned.data.actorId, undefined);
      assert.equal(unpinned.data.chat.pinnedMessageIds, undefined);
    },
  );

  await t.step("removed, leaving: chat.member_removed, with who did it", async () => {
    await call("DELETE", `/api/chats/${groupId}/participants/${carol.user.id}`, alice.token);
    const [removed] = await next(1);
    await call("DELETE", `/api/chats/${groupId}/participants/${dave.user.id}`, dave.token);
    const [left] = await next(1);
    assert.deepEqual([removed, left].map(whoWhom), [
      ["chat.member_removed", alice.user.id, carol.user.id],
      ["chat.member_removed", dave.user.id, dave.user.id],
    ]);
    assert.deepEqual(left.data.chat.participantIds, [alice.user.id, bob.user.id]);
  });

  await t.step("a block, then an account deleted: the direct chat's events", async () => {
    await call("POST", `/api/blocks/${carol.user.id}`, alice.token);
    await call("POST", `/api/blocks/${carol.user.id}`, alice.token); // again: no event
    const [blocked] = await next(1);
    assert.equal(blocked.type, "chat.updated");
    assert.equal(blocked.data.chat.blocked, true);
    assert.equal(blocked.data.actorId, alice.user.id);
    await call("DELETE", `/api/admin/users/${carol.user.id}`, ADMIN_TOKEN);
    const [gone] = await next(1);
    assert.equal(gone.type, "chat.member_removed");
    assert.equal(gone.data.userId, carol.user.id);
    assert.equal(gone.data.actorId, undefined, "the server took them out");
    assert.deepEqual(gone.data.chat.participantIds, [alice.user.id]);
    assert.equal(gone.data.chat.blocked, false, "deleting the account dropped the block");
  });

  await t.step("the account deleted: user.deleted, again with its id on a repeat", async () => {
    const deleted = () => hook.jobs.filter((e) => e.type === "user.deleted");
    await until("its event", () => deleted().length === 1);
    const [event] = deleted();
    assert.deepEqual(
      [event.id, event.data],
      [`evt_${carol.user.id}_deleted`, { userId: carol.user.id }],
    );
    await call("DELETE", `/api/admin/users/${carol.user.id}`, ADMIN_TOKEN);
    await until("the repeat's", () => deleted().length === 2);
    assert.deepEqual(deleted()[1], event, "the same event: a receiver drops it by its id");
  });

  await t.step("each event once, each with an id of its own", async () => {
    await server.close();
    const chatEvents = hook.jobs.filter((e): e is AppChatEvent => e.type.startsWith("chat."));
    assert.equal(chatEvents.length, seen);
    assert.equal(new Set(chatEvents.map((e) => e.id)).size, seen);
    // Awaited one by one above: the group's events came in the order of its changes.
    const versions = chatEvents.filter((e) => e.data.chat.id === groupId)
      .map((e) => e.data.chat.version);
    assert.deepEqual(versions, [...Array(11).keys()], "one more with each change");
  });
  await hook.close();
});
