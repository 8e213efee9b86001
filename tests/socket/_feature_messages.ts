// deno-lint-ignore-file no-explicit-any -- tests read arbitrary JSON answers
/**
 * The feature suite's message steps: edit, delete, replies, mentions, and a deleted
 * message that was still in a backlog.
 * @module
 */
import assert from "node:assert/strict";
import { api, connect, emitAck, type TestSocket, until } from "../_helpers/client.ts";
import { event, type FeatureWorld } from "./_feature_world.ts";

/** Runs the message steps; `b` is Bob's first socket, which the backlog step closes. */
export async function messageSteps(
  t: Deno.TestContext,
  { url, alice, bob, carol, chatId, a, history }: FeatureWorld,
  b: TestSocket,
): Promise<void> {
  await t.step("edit: sender only, broadcast, in history", async () => {
    const sent = await emitAck(a, "message:send", {
      chatId,
      content: "helo",
      clientMsgId: "e1",
    });
    const edited = await emitAck(a, "message:edit", {
      messageId: sent.message.id,
      content: "hello",
    });
    assert.equal(edited.ok, true);
    assert.equal(edited.message.content, "hello");
    await until("message:edited", () => event(b, "message:edited").length === 1);
    assert.deepEqual({ ...event(b, "message:edited")[0], editedAt: "x" }, {
      messageId: sent.message.id,
      chatId,
      content: "hello",
      editedAt: "x",
      changeSeq: edited.message.changeSeq,
    });
    assert.ok(edited.message.changeSeq >= 1);
    const [stored] = await history(bob.token);
    assert.equal(stored.content, "hello");
    assert.equal(stored.editedAt, edited.message.editedAt);
    const notMine = await emitAck(b, "message:edit", {
      messageId: sent.message.id,
      content: "hijack",
    });
    assert.equal(notMine.error.code, "forbidden");
    const viaRest = await api(url, "PUT", `/api/messages/${sent.message.id}`, {
      token: alice.token,
      body: { content: "hello!" },
    });
    assert.equal(viaRest.status, 200);
    assert.equal(viaRest.body.message.content, "hello!");
    assert.equal(
      (await emitAck(a, "message:edit", { messageId: sent.message.id, content: " " })).error
        .code,
      "invalid_payload",
    );
    assert.equal(
      (await emitAck(a, "message:edit", { messageId: "nope", content: "x" })).error.code,
      "not_found",
    );
  });

  await t.step(
    "delete: tombstone in history, broadcast, content gone from the store",
    async () => {
      const sent = await emitAck(a, "message:send", {
        chatId,
        content: "secret plan",
        clientMsgId: "d1",
      });
      assert.equal(
        (await emitAck(b, "message:delete", { messageId: sent.message.id })).error.code,
        "forbidden",
      );
      assert.deepEqual(await emitAck(a, "message:delete", { messageId: sent.message.id }), {
        ok: true,
      });
      await until(
        "message:deleted",
        () => event(b, "message:deleted").some((p) => p.messageId === sent.message.id),
      );
      const stored = (await history(bob.token)).find((m: any) => m.id === sent.message.id);
      assert.equal(stored.deleted, true);
      assert.equal(stored.content, "");
      assert.equal(stored.seq, sent.message.seq, "the seq stays");
      assert.equal(
        (await emitAck(a, "message:edit", { messageId: sent.message.id, content: "again" }))
          .error.code,
        "conflict",
      );
      const rest = await emitAck(a, "message:send", {
        chatId,
        content: "to delete over REST",
        clientMsgId: "d2",
      });
      assert.equal(
        (await api(url, "DELETE", `/api/messages/${rest.message.id}`, { token: alice.token }))
          .status,
        204,
      );
    },
  );

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

  await t.step(
    "a backlog message deleted meanwhile arrives without its old content",
    async () => {
      b.close();
      const sent = await emitAck(a, "message:send", {
        chatId,
        content: "oops wrong chat",
        clientMsgId: "d3",
      });
      await emitAck(a, "message:delete", { messageId: sent.message.id });
      const reply = await emitAck(a, "message:send", {
        chatId,
        content: "meant the other one",
        clientMsgId: "d4",
        replyToId: sent.message.id,
      });
      const back = await connect(url, bob.token);
      await until("backlog", () => back.received.some((m) => m.id === reply.message.id));
      const got = back.received.find((m) => m.id === sent.message.id)!;
      assert.equal(got.deleted, true);
      assert.equal(got.content, "");
      assert.equal(
        back.received.find((m) => m.id === reply.message.id)!.replyTo?.id,
        sent.message.id,
        "a reply from the backlog keeps its quote, even of a deleted message",
      );
      back.close();
    },
  );
}
