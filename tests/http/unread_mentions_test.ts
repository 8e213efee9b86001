/**
 * The unread-mentions count through real HTTP: a member's chat counts the
 * unread messages that mention them or reply to one of theirs, in the chat
 * list and the chat alike, never their own; reading lowers it, and it is
 * absent once none is unread, and in direct chats.
 */
import assert from "node:assert/strict";
import { api, directChat, registerAll } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST unread mentions: what addresses a member, until read", async () => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob, carol] = await registerAll(url, "alice", "bob", "carol");
  const created = await api(url, "POST", "/api/chats", {
    token: alice.token,
    body: { type: "group", name: "club", participantIds: [bob.user.id, carol.user.id] },
  });
  const chatId = created.body.chat.id;
  const send = async (token: string, body: Record<string, unknown>) =>
    (await api(url, "POST", `/api/chats/${chatId}/messages`, { token, body })).body.message;
  const counts = async (token: string) => {
    const one = (await api(url, "GET", `/api/chats/${chatId}`, { token })).body.chat;
    const listed = (await api(url, "GET", "/api/chats", { token })).body.chats[0];
    assert.deepEqual(
      [listed.unreadCount, listed.unreadMentions],
      [one.unreadCount, one.unreadMentions],
      "the list and the chat agree",
    );
    return [one.unreadCount, one.unreadMentions];
  };
  const read = (token: string, upToSeq: number) =>
    api(url, "POST", `/api/chats/${chatId}/read`, { token, body: { upToSeq } });

  try {
    const question = await send(alice.token, { content: "who reads Kafka?" }); // 1
    await send(bob.token, { content: "not me" }); // 2
    await send(bob.token, { content: "@alice you do", mentions: [alice.user.id] }); // 3
    const replyToId = question.id;
    await send(carol.token, { content: "I do", replyToId }); // 4
    await send(bob.token, { content: "@carol since when?", mentions: [carol.user.id] }); // 5
    await send(alice.token, { content: "@alice note to self", mentions: [alice.user.id] }); // 6

    assert.deepEqual(await counts(alice.token), [4, 2], "the mention and the reply");
    assert.deepEqual(await counts(carol.token), [5, 1]);
    assert.deepEqual(await counts(bob.token), [3, undefined], "nothing addresses bob");
    assert.equal((await read(alice.token, 3)).status, 204);
    assert.deepEqual(await counts(alice.token), [2, 1], "the reply is still unread");
    await read(alice.token, 6);
    assert.deepEqual(await counts(alice.token), [0, undefined]);

    // In a direct chat everything addresses the reader: it is not counted apart.
    const direct = await directChat(url, alice, bob);
    const mine = (await api(url, "POST", `/api/chats/${direct}/messages`, {
      token: alice.token,
      body: { content: "ping" },
    })).body.message;
    await api(url, "POST", `/api/chats/${direct}/messages`, {
      token: bob.token,
      body: { content: "pong", replyToId: mine.id, mentions: [alice.user.id] },
    });
    const dm = (await api(url, "GET", `/api/chats/${direct}`, { token: alice.token })).body.chat;
    assert.deepEqual([dm.unreadCount, dm.unreadMentions], [1, undefined]);
  } finally {
    await server.close();
  }
});
