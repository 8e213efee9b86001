// deno-lint-ignore-file no-explicit-any -- tests read arbitrary JSON answers
/**
 * The feature suite's chat steps: reactions, typing, who has a chat open, and
 * group participants.
 * @module
 */
import assert from "node:assert/strict";
import {
  api,
  connect,
  emitAck,
  settled,
  sleep,
  type TestSocket,
  until,
} from "../_helpers/client.ts";
import { event, type FeatureWorld } from "./_feature_world.ts";
import { MAX_REACTIONS } from "../../src/protocol/mod.ts";

/** Runs the chat steps; `b2` is Bob's socket, connected after the message steps. */
export async function chatSteps(
  t: Deno.TestContext,
  { url, alice, bob, carol, chatId, a, history }: FeatureWorld,
  b2: TestSocket,
): Promise<void> {
  await t.step("reactions toggle per user per emoji", async () => {
    const sent = await emitAck(a, "message:send", {
      chatId,
      content: "react to me",
      clientMsgId: "r1",
    });
    const react = (s: TestSocket, emoji = "👍") =>
      emitAck(s, "message:reaction", { messageId: sent.message.id, emoji });
    assert.deepEqual((await react(b2)).reactions, { "👍": [bob.user.id] });
    assert.deepEqual((await react(a)).reactions, { "👍": [bob.user.id, alice.user.id] });
    assert.deepEqual((await react(b2)).reactions, { "👍": [alice.user.id] }, "toggled off");
    await until("reactionUpdated", () => event(a, "message:reactionUpdated").length === 3);
    const stored = (await history(bob.token)).find((m: any) => m.id === sent.message.id);
    assert.deepEqual(stored.reactions, { "👍": [alice.user.id] });
    assert.deepEqual(event(a, "message:reactionUpdated")[2], {
      messageId: sent.message.id,
      chatId,
      reactions: { "👍": [alice.user.id] },
      changeSeq: stored.changeSeq,
    });
    const counts = event(a, "message:reactionUpdated").map((e) => e.changeSeq);
    assert.deepEqual(counts, [counts[0], counts[0] + 1, counts[0] + 2], "one count per change");
    assert.equal((await react(b2, "a b")).error.code, "invalid_payload");
    // Fifty different emoji at most: one more is refused, one already there still toggles.
    for (let i = 1; i < MAX_REACTIONS; i++) assert.ok((await react(b2, `${i}️⃣`)).ok);
    assert.equal((await react(b2, "🦄")).error.code, "conflict");
    assert.equal((await react(b2, "1️⃣")).reactions["1️⃣"], undefined, "taken back");
    assert.ok((await react(b2, "🦄")).reactions["🦄"], "room for one again");
    // The last reaction taken back leaves no empty emoji; a deleted message takes none.
    assert.equal(Object.hasOwn((await react(a)).reactions, "👍"), false);
    assert.equal((await emitAck(a, "message:delete", { messageId: sent.message.id })).ok, true);
    assert.equal((await react(b2)).error.code, "conflict");
  });

  await t.step("typing starts once, expires by itself, and stops on request", async () => {
    await emitAck(a, "chat:typing", { chatId });
    await emitAck(a, "chat:typing", { chatId });
    await until("user:typing", () => event(b2, "user:typing").length === 1);
    assert.deepEqual(event(b2, "user:typing")[0], { chatId, userId: alice.user.id });
    // A device that connects while Alice types hears it at her next keep-alive after half the TTL.
    const late = await connect(url, bob.token);
    await sleep(350); // the feature suite's TTL is 600 ms
    await emitAck(a, "chat:typing", { chatId });
    await until("the late device heard", () => event(late, "user:typing").length === 1);
    late.close();
    await until("expired", () => event(b2, "user:stoppedTyping").length === 1, 3000);
    await emitAck(a, "chat:typing", { chatId });
    await emitAck(a, "chat:stopTyping", { chatId });
    await until("stopped", () => event(b2, "user:stoppedTyping").length === 2);
    assert.equal(event(a, "user:typing").length, 0, "not echoed to the typist");
    const outsider = await connect(url, carol.token);
    assert.equal((await emitAck(outsider, "chat:typing", { chatId })).error.code, "forbidden");
    outsider.close();
  });

  await t.step("join and leave report who has the chat open", async () => {
    const joinA = await emitAck(a, "chat:join", { chatId });
    assert.deepEqual(joinA.activeUserIds, [alice.user.id]);
    const joinB = await emitAck(b2, "chat:join", { chatId });
    assert.deepEqual(joinB.activeUserIds.sort(), [alice.user.id, bob.user.id].sort());
    await until(
      "user:joined",
      () => event(a, "user:joined").some((p) => p.userId === bob.user.id),
    );
    const left = await emitAck(b2, "chat:leave", { chatId });
    assert.deepEqual(left.activeUserIds, [alice.user.id]);
    await until("user:left", () => event(a, "user:left").some((p) => p.userId === bob.user.id));
    await until(
      "chat:activeUsers",
      () => event(a, "chat:activeUsers").some((p) => p.activeUserIds.length === 1),
    );
    const outsider = await connect(url, carol.token);
    assert.equal((await emitAck(outsider, "chat:join", { chatId })).error.code, "forbidden");
    outsider.close();
  });

  await t.step(
    "group participants: added members see history from joining; removed ones lose access",
    async () => {
      const created = await api(url, "POST", "/api/chats", {
        token: alice.token,
        body: { type: "group", name: "g", participantIds: [bob.user.id] },
      });
      const groupId = created.body.chat.id;
      await emitAck(a, "message:send", {
        chatId: groupId,
        content: "before carol",
        clientMsgId: "g1",
      });
      const added = await api(url, "POST", `/api/chats/${groupId}/participants`, {
        token: bob.token,
        body: { userId: carol.user.id },
      });
      assert.equal(added.status, 200);
      assert.equal(added.body.chat.participantIds.length, 3);
      await emitAck(a, "message:send", {
        chatId: groupId,
        content: "after carol",
        clientMsgId: "g2",
      });
      const seen = await history(carol.token, groupId);
      assert.deepEqual(seen.map((m: any) => m.content), ["after carol"]);
      const fromStart = await api(url, "GET", `/api/chats/${groupId}/messages?afterSeq=0`, {
        token: carol.token,
      });
      assert.deepEqual(fromStart.body.messages.map((m: any) => m.content), ["after carol"]);
      const c = await connect(url, carol.token);
      await until("carol gets what came after", () => c.received.length === 1);
      assert.equal(c.received[0].content, "after carol");

      // Bob is offline with a pending message in the group when he is removed.
      b2.close();
      await emitAck(a, "message:send", {
        chatId: groupId,
        content: "bob should not get this",
        clientMsgId: "g3",
      });
      const removed = await api(
        url,
        "DELETE",
        `/api/chats/${groupId}/participants/${bob.user.id}`,
        { token: alice.token },
      );
      assert.equal(removed.status, 200);
      assert.deepEqual(
        removed.body.chat.participantIds.sort(),
        [alice.user.id, carol.user.id].sort(),
      );
      assert.equal(
        (await api(url, "GET", `/api/chats/${groupId}/messages`, { token: bob.token })).status,
        403,
      );
      const b3 = await connect(url, bob.token);
      await settled(b3);
      assert.ok(
        !b3.received.some((m) => m.chatId === groupId),
        "nothing more of the group reaches bob",
      );
      assert.equal(
        (await emitAck(b3, "message:send", {
          chatId: groupId,
          content: "hi",
          clientMsgId: "g4",
        })).error.code,
        "forbidden",
      );
      b3.close();
      // Carol has acknowledged g3 and bob is gone: every recipient left has it.
      const statusOf = async (content: string) =>
        (await history(alice.token, groupId)).find((m: any) => m.content === content)?.status;
      await until(
        "g3 delivered once bob no longer counts",
        async () => await statusOf("bob should not get this") === "delivered",
      );

      const onDirect = await api(url, "POST", `/api/chats/${chatId}/participants`, {
        token: alice.token,
        body: { userId: carol.user.id },
      });
      assert.equal(onDirect.status, 400);
      assert.equal(
        (await api(url, "POST", `/api/chats/${groupId}/participants`, {
          token: bob.token,
          body: { userId: bob.user.id },
        })).status,
        403,
      );
      assert.equal(
        (await api(url, "POST", `/api/chats/${groupId}/participants`, {
          token: alice.token,
          body: { userId: "ghost" },
        })).status,
        404,
      );
      c.close();
    },
  );
}
