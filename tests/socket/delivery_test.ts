/**
 * Delivery through the real socket: store first, then deliver; delivered only on
 * a device ack; seq order; idempotent sends.
 */
import assert from "node:assert/strict";
import { api, connect, directChat, emitAck, register, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("delivery over the socket", async (t) => {
  const server = await startTestServer();
  const { url } = server;

  await t.step("both online: sent, then delivered, then read", async () => {
    const [alice, bob] = [await register(url, "alice"), await register(url, "bob")];
    const chatId = await directChat(url, alice, bob);
    const a = await connect(url, alice.token);
    const b = await connect(url, bob.token);
    const ack = await emitAck(a, "message:send", { chatId, content: " hello ", clientMsgId: "c1" });
    assert.equal(ack.ok, true);
    assert.equal(ack.message.status, "sent");
    assert.equal(ack.message.seq, 1);
    assert.equal(ack.message.content, "hello");
    await until("bob receives", () => b.received.length === 1);
    assert.equal(b.received[0].id, ack.message.id);
    assert.equal(b.received[0].isNew, true);
    await until("delivered tick", () => a.statuses.some((s) => s.status === "delivered"));
    assert.deepEqual(
      { ...a.statuses[0], at: undefined },
      {
        messageId: ack.message.id,
        chatId,
        userId: bob.user.id,
        status: "delivered",
        at: undefined,
      },
    );
    assert.deepEqual(await emitAck(b, "message:markRead", { chatId, upToSeq: 1 }), { ok: true });
    await until("read tick", () => a.statuses.some((s) => s.status === "read"));
    const history = await api(url, "GET", `/api/chats/${chatId}/messages`, { token: alice.token });
    assert.equal(history.body.messages[0].status, "read");
    a.close();
    b.close();
  });

  await t.step("receiver offline, then connects and gets the backlog", async () => {
    const [alice, bob] = [await register(url), await register(url)];
    const chatId = await directChat(url, alice, bob);
    const a = await connect(url, alice.token);
    const ack = await emitAck(a, "message:send", {
      chatId,
      content: "while you were out",
      clientMsgId: "o1",
    });
    const before = await api(url, "GET", `/api/chats/${chatId}/messages`, { token: alice.token });
    assert.equal(before.body.messages[0].status, "sent");
    const b = await connect(url, bob.token);
    await until("backlog arrives", () => b.received.length === 1);
    assert.equal(b.received[0].id, ack.message.id);
    assert.equal(b.received[0].isNew, false);
    await until("delivered tick", () => a.statuses.length === 1);
    a.close();
    b.close();
  });

  await t.step("ten pending messages arrive in seq order", async () => {
    const [alice, bob] = [await register(url), await register(url)];
    const chatId = await directChat(url, alice, bob);
    const a = await connect(url, alice.token);
    for (let i = 1; i <= 10; i++) {
      await emitAck(a, "message:send", { chatId, content: `m${i}`, clientMsgId: `ten-${i}` });
    }
    const b = await connect(url, bob.token);
    await until("all ten", () => b.received.length === 10);
    assert.deepEqual(b.received.map((m) => m.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(b.received.map((m) => m.content), b.received.map((m) => `m${m.seq}`));
    a.close();
    b.close();
  });

  await t.step("a device that drops before acking gets the message again", async () => {
    const [alice, bob] = [await register(url), await register(url)];
    const chatId = await directChat(url, alice, bob);
    const a = await connect(url, alice.token);
    const flaky = await connect(url, bob.token, { autoAck: false });
    const ack = await emitAck(a, "message:send", {
      chatId,
      content: "are you there",
      clientMsgId: "n1",
    });
    await until("flaky device receives", () => flaky.received.length === 1);
    flaky.close();
    const history = await api(url, "GET", `/api/chats/${chatId}/messages`, { token: alice.token });
    assert.equal(history.body.messages[0].status, "sent", "no ack, so not delivered");
    assert.equal(a.statuses.length, 0);
    const b = await connect(url, bob.token);
    await until("redelivered", () => b.received.length === 1);
    assert.equal(b.received[0].id, ack.message.id);
    await until("delivered tick", () => a.statuses.length === 1);
    a.close();
    b.close();
  });

  await t.step(
    "a retry with the same clientMsgId returns the same message, stored once",
    async () => {
      const [alice, bob] = [await register(url), await register(url)];
      const chatId = await directChat(url, alice, bob);
      const a = await connect(url, alice.token);
      const first = await emitAck(a, "message:send", {
        chatId,
        content: "once",
        clientMsgId: "same",
      });
      const again = await emitAck(a, "message:send", {
        chatId,
        content: "once",
        clientMsgId: "same",
      });
      const rest = await api(url, "POST", `/api/chats/${chatId}/messages`, {
        token: alice.token,
        body: { content: "once", clientMsgId: "same" },
      });
      assert.equal(again.message.id, first.message.id);
      assert.equal(rest.body.message.id, first.message.id);
      const next = await emitAck(a, "message:send", {
        chatId,
        content: "next",
        clientMsgId: "other",
      });
      assert.equal(next.message.seq, 2, "the retries took no seq");
      const b = await connect(url, bob.token);
      await until("both", () => b.received.length === 2);
      assert.deepEqual(b.received.map((m) => m.seq), [1, 2]);
      a.close();
      b.close();
    },
  );

  await t.step("a group message is delivered only when every member acknowledged", async () => {
    const [alice, bob, carol] = [await register(url), await register(url), await register(url)];
    const created = await api(url, "POST", "/api/chats", {
      token: alice.token,
      body: { type: "group", name: "trio", participantIds: [bob.user.id, carol.user.id] },
    });
    assert.equal(created.status, 201);
    const chatId = created.body.chat.id;
    const a = await connect(url, alice.token);
    const ack = await emitAck(a, "message:send", { chatId, content: "hi all", clientMsgId: "g1" });
    const status = async () =>
      (await api(url, "GET", `/api/chats/${chatId}/messages`, { token: alice.token })).body
        .messages[0].status;
    const b = await connect(url, bob.token);
    await until("bob's tick", () => a.statuses.length === 1);
    assert.equal(a.statuses[0].userId, bob.user.id);
    assert.equal(await status(), "sent", "carol has not acknowledged yet");
    const c = await connect(url, carol.token);
    await until("carol's tick", () => a.statuses.length === 2);
    assert.equal(await status(), "delivered");
    assert.equal(c.received[0].id, ack.message.id);
    a.close();
    b.close();
    c.close();
  });

  await t.step("metrics count what happened above", async () => {
    const res = await fetch(url + "/metrics");
    assert.match(res.headers.get("content-type") ?? "", /text\/plain/);
    const text = await res.text();
    const value = (name: string) => Number(text.match(new RegExp(`^${name} (\\d+)`, "m"))?.[1]);
    assert.equal(value("chat_messages_sent_total"), 16, "sent: 1 + 1 + 10 + 1 + 2 + 1");
    assert.ok(value("chat_messages_delivered_total") >= 12, "delivered");
    assert.ok(value("chat_messages_read_total") >= 1, "read");
    assert.match(text, /chat_delivery_latency_seconds_bucket/);
    // By path: a live message is timed apart from a backlog's, whose time is the user's absence.
    const timed = (path: string) =>
      value(`chat_delivery_latency_seconds_count\\{path="${path}"\\}`);
    assert.ok(timed("live") >= 1, "the first step's message, live");
    assert.ok(timed("backlog") >= 11, "the backlog of the next two steps");
  });

  await server.close();
});
