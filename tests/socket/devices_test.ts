/**
 * A user's devices stay in step: what one device sends or reads shows on the
 * others (`message:sent`, `chat:read`), never echoed to the device that did it.
 */
import assert from "node:assert/strict";
import {
  api,
  connect,
  directChat,
  emitAck,
  register,
  type TestSocket,
  until,
} from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

/** The payloads of one event a socket got, in arrival order. */
// deno-lint-ignore no-explicit-any -- tests read arbitrary JSON payloads
const got = (t: TestSocket, name: string): any[] =>
  t.events.filter(([event]) => event === name).map(([, payload]) => payload);

Deno.test("a user's devices stay in step", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob] = [await register(url, "alice"), await register(url, "bob")];
  const chatId = await directChat(url, alice, bob);
  const phone = await connect(url, alice.token);
  const laptop = await connect(url, alice.token);
  const b = await connect(url, bob.token);

  await t.step("a message sent on one device shows on the others", async () => {
    const fromPhone = await emitAck(phone, "message:send", {
      chatId,
      content: "on my way",
      clientMsgId: "p1",
    });
    await until("the laptop sees it", () => got(laptop, "message:sent").length === 1);
    assert.deepEqual(got(laptop, "message:sent")[0], fromPhone.message);
    // Over REST no device sent it: every device gets it, the phone after anything
    // that could have been echoed to it before.
    const overRest = await api(url, "POST", `/api/chats/${chatId}/messages`, {
      token: alice.token,
      body: { content: "from a notification" },
    });
    assert.equal(overRest.status, 201);
    await until("both see the REST send", () => got(phone, "message:sent").length === 1);
    await until("the laptop too", () => got(laptop, "message:sent").length === 2);
    assert.deepEqual(got(phone, "message:sent").map((m) => m.id), [overRest.body.message.id]);
    assert.deepEqual(got(laptop, "message:sent").map((m) => m.seq), [1, 2]);
    // Bob is a recipient, not a sender: he gets them as messages, not copies.
    await until("bob has both", () => b.received.length === 2);
    assert.equal(got(b, "message:sent").length, 0);
  });

  await t.step("reading on one device clears the chat on the others", async () => {
    for (const i of [1, 2]) {
      await emitAck(b, "message:send", { chatId, content: `b${i}`, clientMsgId: `b${i}` });
    }
    await until("alice has bob's two", () => laptop.received.length === 2);
    // Past the end: the watermark stops at the chat's last seq (4), and so does the event.
    assert.deepEqual(await emitAck(laptop, "message:markRead", { chatId, upToSeq: 99 }), {
      ok: true,
    });
    await until("the phone hears", () => got(phone, "chat:read").length === 1);
    assert.deepEqual({ ...got(phone, "chat:read")[0], at: "x" }, { chatId, upToSeq: 4, at: "x" });
    const lastOfBob = laptop.received[1];
    const overRest = await api(url, "POST", `/api/chats/${chatId}/read`, {
      token: alice.token,
      body: { messageIds: [lastOfBob.id] },
    });
    assert.equal(overRest.status, 204);
    await until("the laptop hears the REST read", () => got(laptop, "chat:read").length === 1);
    assert.equal(got(laptop, "chat:read")[0].upToSeq, lastOfBob.seq);
    await until("the phone too", () => got(phone, "chat:read").length === 2);
    const chats = await api(url, "GET", "/api/chats", { token: alice.token });
    assert.equal(chats.body.chats[0].unreadCount, 0);
  });

  await t.step("an outsider's read is refused and tells no device", async () => {
    const carol = await register(url, "carol");
    const c = await connect(url, carol.token);
    const refused = await emitAck(c, "message:markRead", { chatId, upToSeq: 1 });
    assert.equal(refused.error.code, "forbidden");
    await emitAck(b, "message:send", { chatId, content: "last", clientMsgId: "b3" });
    await until("alice's laptop has it", () => laptop.received.length === 3);
    assert.equal(got(phone, "chat:read").length, 2);
    assert.equal(got(c, "chat:read").length, 0);
    c.close();
  });

  phone.close();
  laptop.close();
  b.close();
  await server.close();
});
