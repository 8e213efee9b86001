/**
 * The client SDK against the real server: a send (a reply) while the server is
 * down goes through once it is back, exactly once; a forward keeps what it forwards; acks wait
 * for the handler; repeats are dropped; ticks, presence and edits arrive as typed events;
 * edits, reactions and deletes are answered, and a device that was away catches up on them.
 * Files are in `files_test.ts`, the retries of refused handshakes in `connection_test.ts`.
 * @module
 */
import assert from "node:assert/strict";
import {
  ChatClient,
  ChatClientError,
  type MessageDeletedEvent,
  type MessageEditedEvent,
  type MessageReactionEvent,
  type MessageView,
  RestClient,
} from "../../src/sdk/mod.ts";
import { directChat, fastRetry, registerAll, sleep, until } from "../_helpers/client.ts";
import { freePort, spawnServer, startTestServer } from "../_helpers/server.ts";

async function pair(url: string) {
  const [alice, bob] = await registerAll(url, "alice", "bob");
  return { alice, bob, chatId: await directChat(url, alice, bob) };
}

Deno.test("sdk: a send while the server is down is stored once it is back, exactly once", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "sdk-" });
  const env = { DATA_DIR: dataDir, PORT: String(freePort()) };
  let server = await spawnServer(env);
  const { alice, bob, chatId } = await pair(server.url);
  const a = new ChatClient({
    url: server.url,
    token: alice.token,
    socket: fastRetry,
  });
  const received: MessageView[] = [];
  const b = new ChatClient({ url: server.url, token: bob.token, socket: fastRetry });
  b.on("message", (m) => void received.push(m));
  a.connect();
  b.connect();
  await until("both connected", () => a.connected && b.connected);
  const before = await a.send(chatId, "before");

  await server.kill();
  await until("alice sees the drop", () => !a.connected);
  const sending = a.send(chatId, "while down", { replyToId: before.id, mentions: [bob.user.id] });
  const sent: string[] = [];
  a.on("sent", (m) => void sent.push(m.content));
  assert.equal(a.outbox.length, 1, "kept in the outbox");
  assert.equal(a.outbox[0].replyToId, before.id, "with what it replies to");
  assert.deepEqual(a.outbox[0].mentions, [bob.user.id], "and whom it mentions");

  server = await spawnServer(env);
  const stored = await sending;
  assert.equal(stored.content, "while down");
  assert.equal(stored.seq, 2);
  assert.deepEqual(stored.replyTo, { id: before.id, seq: 1, senderId: alice.user.id });
  assert.deepEqual(stored.mentions, [bob.user.id]);
  assert.equal(a.outbox.length, 0);
  assert.deepEqual(sent, ["while down"]);
  await until("bob has both", () => received.length >= 2, 15_000);
  const history = await new RestClient(server.url, bob.token).history(chatId);
  assert.deepEqual(history.messages.map((m) => m.content), ["while down", "before"]);
  // Another device of Alice's that has seq 1 catches up on her own send.
  const newer = await new RestClient(server.url, alice.token).historyAfter(chatId, 1);
  assert.deepEqual(newer.messages.map((m) => m.content), ["while down"]);
  assert.equal(newer.nextAfterSeq, null);
  assert.deepEqual(received.map((m) => m.content), ["before", "while down"]);
  a.close();
  b.close();
  await server.kill();
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("sdk: a forward written while offline goes out forwarded", async () => {
  const server = await startTestServer();
  const { alice, bob, chatId } = await pair(server.url);
  const original = await new RestClient(server.url, bob.token).history(chatId);
  const b = new ChatClient({ url: server.url, token: bob.token });
  const a = new ChatClient({ url: server.url, token: alice.token });
  try {
    b.connect();
    const said = await b.send(chatId, "pass it on");
    assert.equal(original.messages.length, 0);
    const forwarding = a.forward(chatId, said);
    assert.equal(a.outbox[0].forwardOf, said.id, "kept in the outbox with what it forwards");
    a.connect();
    const stored = await forwarding;
    assert.deepEqual([stored.content, stored.forwarded, stored.seq], ["pass it on", true, 2]);
  } finally {
    a.close();
    b.close();
    await server.close();
  }
});

Deno.test("sdk: ack after the handler, again after a failure, repeats dropped", async (t) => {
  const server = await startTestServer({ ACK_TIMEOUT_MS: "400" });
  const { alice, bob, chatId } = await pair(server.url);
  const a = new ChatClient({ url: server.url, token: alice.token }).connect();
  const b = new ChatClient({ url: server.url, token: bob.token }).connect();
  const ticks: string[] = [];
  a.on("status", (s) => void ticks.push(s.status));
  await until("both connected", () => a.connected && b.connected);

  await t.step("a throwing handler is not acked; catchUp() brings the message again", async () => {
    let calls = 0;
    const off = b.on("message", () => {
      if (++calls === 1) throw new Error("app not ready");
    });
    await a.send(chatId, "one");
    await until("first attempt", () => calls === 1);
    await sleep(500);
    assert.equal(ticks.length, 0, "not delivered while the handler failed");
    await b.catchUp();
    assert.equal(calls, 2);
    await until("delivered tick", () => ticks.includes("delivered"));
    off();
  });

  await t.step("a slow handler's message sent again meanwhile runs the handler once", async () => {
    const seen: string[] = [];
    const off = b.on("message", async (m) => {
      seen.push(m.content);
      await sleep(600); // longer than the server's ack timeout
    });
    await a.send(chatId, "two");
    await until("handler started", () => seen.length === 1);
    await sleep(500); // the server gave up waiting for the ack
    await b.catchUp(); // ...and sends it again now; its ack waits for the first handler
    assert.deepEqual(seen, ["two"]);
    await until("delivered tick", () => ticks.filter((s) => s === "delivered").length === 2);
    off();
  });

  await t.step("read ticks, receipts and presence are typed", async () => {
    const presence: boolean[] = [];
    a.on("presence", (p) => void (p.userId === bob.user.id && presence.push(p.online)));
    const last = await a.send(chatId, "three");
    await until("delivered", () => ticks.filter((s) => s === "delivered").length === 3);
    // Over REST, as a notification's action would; the web page's test reads over the socket.
    await new RestClient(server.url, bob.token).markRead(chatId, last.seq);
    await until("read tick", () => ticks.includes("read"));
    const receipts = await new RestClient(server.url, alice.token).receipts(last.id);
    assert.deepEqual(receipts, [{ userId: bob.user.id, status: "read" }]);
    b.close();
    await until("bob offline", () => presence.includes(false));
  });

  await t.step("edit, react, delete: typed events, and changes() for a device away", async () => {
    const edits: MessageEditedEvent[] = [];
    const reactions: MessageReactionEvent[] = [];
    const deletes: MessageDeletedEvent[] = [];
    a.on("edited", (event) => void edits.push(event));
    a.on("reaction", (event) => void reactions.push(event));
    a.on("deleted", (event) => void deletes.push(event));
    const sent = await a.send(chatId, "four");
    assert.equal((await a.edit(sent.id, "four, edited")).content, "four, edited");
    assert.deepEqual(await a.react(sent.id, "👍"), { "👍": [alice.user.id] });
    const doomed = await a.send(chatId, "five");
    await a.delete(doomed.id);
    await until("alice's client hears of all three", () => deletes.length === 1);
    assert.deepEqual([edits[0].messageId, edits[0].content, edits[0].changeSeq], [
      sent.id,
      "four, edited",
      1,
    ]);
    assert.deepEqual([reactions[0].reactions, reactions[0].changeSeq], [
      { "👍": [alice.user.id] },
      2,
    ]);
    assert.deepEqual([deletes[0].messageId, deletes[0].changeSeq], [doomed.id, 3]);
    // Bob's client was closed the step before: it catches up over REST.
    const missed = await new RestClient(server.url, bob.token).changes(chatId, 0);
    assert.deepEqual(missed.messages.map((m) => [m.id, m.content, m.changeSeq]), [
      [sent.id, "four, edited", 2],
      [doomed.id, "", 3],
    ]);
    assert.deepEqual([missed.lastChangeSeq, missed.hasMore], [3, false]);
    await assert.rejects(a.edit(doomed.id, "back"), (error: ChatClientError) => {
      assert.equal(error.code, "conflict");
      return true;
    });
  });

  await t.step("a refused send rejects with the protocol's code", async () => {
    await assert.rejects(a.send("no-such-chat", "x"), (error: ChatClientError) => {
      assert.equal(error.code, "not_found");
      return true;
    });
    assert.equal(a.outbox.length, 0, "not retried forever");
  });
  a.close();
  await server.close();
});
