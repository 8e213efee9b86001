/**
 * `GET /api/chats/:chatId/changes` through real HTTP, with changes made over REST
 * and a real socket: a device that was away learns of the edits, deletes and
 * reactions to messages it already holds, each once, as they are now.
 */
import assert from "node:assert/strict";
import { api, connect, emitAck, registerAll, settled, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { ClientEvents, ServerEvents } from "../../src/protocol/mod.ts";
import type { ChangesPage, MessageView } from "../../src/protocol/mod.ts";

Deno.test("REST changes: a device catches up on edits, deletes and reactions", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob, carol, mallory] = await registerAll(url, "alice", "bob", "carol", "mallory");
  const group = await api(url, "POST", "/api/chats", {
    token: alice.token,
    body: { type: "group", name: "g", participantIds: [bob.user.id] },
  });
  const chatId = group.body.chat.id;
  const send = async (content: string): Promise<MessageView> =>
    (await api(url, "POST", `/api/chats/${chatId}/messages`, {
      token: alice.token,
      body: { content },
    })).body.message;
  const [m1, m2, m3] = [await send("one"), await send("two"), await send("three")];
  const changes = async (token: string, query: string) =>
    await api<ChangesPage & { error: { code: string } }>(
      url,
      "GET",
      `/api/chats/${chatId}/changes?${query}`,
      { token },
    );
  const summary = (page: ChangesPage) =>
    page.messages.map((m) => [m.id, m.changeSeq, m.content, m.deleted ?? false]);
  const edit = (id: string, content: string) =>
    api(url, "PUT", `/api/messages/${id}`, { token: alice.token, body: { content } });

  await t.step("history pages carry the chat's change count, 0 before any change", async () => {
    for (const query of ["", "?afterSeq=0"]) {
      const page = await api(url, "GET", `/api/chats/${chatId}/messages${query}`, {
        token: bob.token,
      });
      assert.equal(page.body.lastChangeSeq, 0, query);
    }
    const none = await changes(bob.token, "afterChangeSeq=0");
    assert.deepEqual(none.body, { messages: [], lastChangeSeq: 0, hasMore: false });
  });

  await t.step("changes made while away come once each, at their last change", async () => {
    assert.equal((await edit(m1.id, "one, edited")).status, 200);
    const bobs = await connect(url, bob.token);
    await settled(bobs);
    const reacted = await emitAck(bobs, ClientEvents.messageReaction, {
      messageId: m2.id,
      emoji: "👍",
    });
    bobs.close();
    assert.equal(reacted.ok, true);
    assert.equal((await edit(m1.id, "one, again")).status, 200);
    const deleted = await api(url, "DELETE", `/api/messages/${m3.id}`, { token: alice.token });
    assert.equal(deleted.status, 204);

    const page = await changes(bob.token, "afterChangeSeq=0");
    assert.equal(page.status, 200);
    assert.deepEqual(summary(page.body), [
      [m2.id, 2, "two", false],
      [m1.id, 3, "one, again", false],
      [m3.id, 4, "", true],
    ]);
    assert.deepEqual(page.body.messages[0].reactions, { "👍": [bob.user.id] });
    assert.equal(page.body.lastChangeSeq, 4);
    assert.equal(page.body.hasMore, false);
    const history = await api(url, "GET", `/api/chats/${chatId}/messages`, { token: bob.token });
    assert.equal(history.body.lastChangeSeq, 4);
    assert.deepEqual(history.body.messages.map((m: MessageView) => m.changeSeq), [4, 2, 3]);
  });

  await t.step("pages follow lastChangeSeq while hasMore", async () => {
    const first = await changes(bob.token, "afterChangeSeq=0&limit=2");
    assert.deepEqual(summary(first.body).map(([id]) => id), [m2.id, m1.id]);
    assert.equal(first.body.lastChangeSeq, 3);
    assert.equal(first.body.hasMore, true);
    const second = await changes(bob.token, "afterChangeSeq=3&limit=2");
    assert.deepEqual(summary(second.body).map(([id]) => id), [m3.id]);
    assert.deepEqual([second.body.lastChangeSeq, second.body.hasMore], [4, false]);
    const caughtUp = await changes(bob.token, "afterChangeSeq=4");
    assert.deepEqual(caughtUp.body, { messages: [], lastChangeSeq: 4, hasMore: false });
  });

  await t.step("live events carry the same count", async () => {
    const bobs = await connect(url, bob.token);
    await settled(bobs);
    assert.equal((await edit(m2.id, "two, edited")).status, 200);
    await until(
      "bob hears of the edit",
      () => bobs.events.some(([name]) => name === ServerEvents.messageEdited),
    );
    bobs.close();
    const [, event] = bobs.events.find(([name]) => name === ServerEvents.messageEdited)!;
    assert.deepEqual(
      { ...(event as Record<string, unknown>), editedAt: undefined },
      { messageId: m2.id, chatId, content: "two, edited", editedAt: undefined, changeSeq: 5 },
    );
  });

  await t.step("a member added later gets no changes of messages from before", async () => {
    const added = await api(url, "POST", `/api/chats/${chatId}/participants`, {
      token: alice.token,
      body: { userId: carol.user.id },
    });
    assert.equal(added.status, 200);
    assert.equal((await edit(m1.id, "one, third")).status, 200);
    const before = await changes(carol.token, "afterChangeSeq=0");
    assert.deepEqual(before.body, { messages: [], lastChangeSeq: 6, hasMore: false });
    const m4 = await send("four");
    assert.equal((await edit(m4.id, "four, edited")).status, 200);
    const after = await changes(carol.token, "afterChangeSeq=6");
    assert.deepEqual(summary(after.body), [[m4.id, 7, "four, edited", false]]);
  });

  await t.step("bad cursors are 400, outsiders 403, and nothing changes", async () => {
    for (const query of ["afterChangeSeq=-1", "afterChangeSeq=x", "limit=0", "limit=101"]) {
      const res = await changes(bob.token, query);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error.code, "invalid_payload", query);
    }
    const outsider = await changes(mallory.token, "afterChangeSeq=0");
    assert.equal(outsider.status, 403);
    assert.equal(outsider.body.error.code, "forbidden");
    assert.equal((await changes("", "afterChangeSeq=0")).status, 401);
    const all = await changes(bob.token, "");
    assert.equal(all.body.lastChangeSeq, 7, "afterChangeSeq defaults to 0");
    assert.equal(all.body.messages.length, 4);
  });

  await server.close();
});
