// deno-lint-ignore-file no-explicit-any -- tests read arbitrary JSON answers
/**
 * The feature suite's message steps: edit, delete, replies and mentions (in
 * `_feature_replies.ts`), and a deleted message that was still in a backlog.
 * @module
 */
import assert from "node:assert/strict";
import { api, connect, emitAck, type TestSocket, until } from "../_helpers/client.ts";
import { event, type FeatureWorld } from "./_feature_world.ts";
import { replySteps } from "./_feature_replies.ts";

/** Runs the message steps; `b` is Bob's first socket, which the backlog step closes. */
export async function messageSteps(
  t: Deno.TestContext,
  world: FeatureWorld,
  b: TestSocket,
): Promise<void> {
  const { url, alice, bob, chatId, a, history } = world;
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

  await replySteps(t, world, b);

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
