// deno-lint-ignore-file no-explicit-any -- tests read arbitrary JSON answers
/**
 * The feature suite's reply and mention steps: a reply quotes a message the
 * sender can read in that chat, live, in history and over REST, and its retry
 * after leaving the chat gets the stored message; mentions name participants
 * only.
 * @module
 */
import assert from "node:assert/strict";
import { api, emitAck, type TestSocket, until } from "../_helpers/client.ts";
import type { FeatureWorld } from "./_feature_world.ts";

/** Runs the reply and mention steps; `b` is Bob's socket. */
export async function replySteps(
  t: Deno.TestContext,
  { url, alice, bob, carol, chatId, a, history }: FeatureWorld,
  b: TestSocket,
): Promise<void> {
  await t.step("reply: quotes a message of the chat, live, in history and over REST", async () => {
    const quoted = await emitAck(b, "message:send", {
      chatId,
      content: "lunch?",
      clientMsgId: "r0",
    });
    const ref = { id: quoted.message.id, seq: quoted.message.seq, senderId: bob.user.id };
    const reply = await emitAck(a, "message:send", {
      chatId,
      content: "yes",
      clientMsgId: "r1",
      replyToId: ref.id,
    });
    assert.deepEqual(reply.message.replyTo, ref);
    await until("bob got the reply", () => b.received.some((m) => m.id === reply.message.id));
    assert.deepEqual(b.received.find((m) => m.id === reply.message.id)!.replyTo, ref);
    const stored = (await history(bob.token)).find((m: any) => m.id === reply.message.id);
    assert.deepEqual(stored.replyTo, ref);
    const viaRest = await api(url, "POST", `/api/chats/${chatId}/messages`, {
      token: bob.token,
      body: { content: "see you at noon", replyToId: reply.message.id },
    });
    assert.equal(viaRest.status, 201);
    assert.deepEqual(viaRest.body.message.replyTo, {
      id: reply.message.id,
      seq: reply.message.seq,
      senderId: alice.user.id,
    });
  });

  await t.step("reply: only to a message the sender can read in that chat", async () => {
    const group = await api(url, "POST", "/api/chats", {
      token: alice.token,
      body: { type: "group", name: "lunch", participantIds: [bob.user.id] },
    });
    const groupId = group.body.chat.id;
    const early = await emitAck(a, "message:send", {
      chatId: groupId,
      content: "before carol",
      clientMsgId: "r2",
    });
    await api(url, "POST", `/api/chats/${groupId}/participants`, {
      token: alice.token,
      body: { userId: carol.user.id },
    });
    const before = (await history(carol.token, groupId)).length;
    const say = (replyToId: string, chat = groupId) =>
      api(url, "POST", `/api/chats/${chat}/messages`, {
        token: carol.token,
        body: { content: "hm", replyToId },
      });
    const refused = [
      await say(early.message.id), // from before carol joined
      await say("missing"),
      await say((await history(alice.token))[0].id), // of another chat
    ];
    for (const res of refused) {
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, "not_found");
    }
    assert.equal((await history(carol.token, groupId)).length, before, "nothing stored");
    const bad = await emitAck(a, "message:send", {
      chatId,
      content: "x",
      clientMsgId: "r3",
      replyToId: 5,
    });
    assert.equal(bad.error.code, "invalid_payload");
  });

  await t.step("reply: a retry after leaving the chat gets the stored message", async () => {
    const group = await api(url, "POST", "/api/chats", {
      token: bob.token,
      body: { type: "group", name: "brief", participantIds: [carol.user.id] },
    });
    const groupId = group.body.chat.id;
    const asked = await api(url, "POST", `/api/chats/${groupId}/messages`, {
      token: bob.token,
      body: { content: "who's in?" },
    });
    const reply = {
      content: "me, then I'm off",
      clientMsgId: "bye-1",
      replyToId: asked.body.message.id,
      mentions: [bob.user.id],
    };
    const post = () =>
      api(url, "POST", `/api/chats/${groupId}/messages`, { token: carol.token, body: reply });
    const first = await post();
    assert.equal(first.status, 201);
    await api(url, "DELETE", `/api/chats/${groupId}/participants/${carol.user.id}`, {
      token: carol.token,
    });
    const retry = await post();
    assert.equal(retry.status, 201, "its ack was lost: the retry is answered, not refused");
    assert.equal(retry.body.message.id, first.body.message.id);
  });

  await t.step("mentions: participants only, live, in history and over REST", async () => {
    const sent = await emitAck(a, "message:send", {
      chatId,
      content: "@bob look",
      clientMsgId: "n1",
      mentions: [bob.user.id, bob.user.id],
    });
    assert.deepEqual(sent.message.mentions, [bob.user.id], "each once");
    await until("bob got it", () => b.received.some((m) => m.id === sent.message.id));
    assert.deepEqual(b.received.find((m) => m.id === sent.message.id)!.mentions, [bob.user.id]);
    const stored = (await history(bob.token)).find((m: any) => m.id === sent.message.id);
    assert.deepEqual(stored.mentions, [bob.user.id]);
    const before = (await history(bob.token)).length;
    const outsider = await emitAck(a, "message:send", {
      chatId,
      content: "@carol?",
      clientMsgId: "n2",
      mentions: [carol.user.id],
    });
    assert.equal(outsider.error.code, "invalid_payload");
    const viaRest = await api(url, "POST", `/api/chats/${chatId}/messages`, {
      token: bob.token,
      body: { content: "@alice yes", mentions: [alice.user.id] },
    });
    assert.deepEqual(viaRest.body.message.mentions, [alice.user.id]);
    assert.equal((await history(bob.token)).length, before + 1, "the refused one stored nothing");
  });
}
