/**
 * A slow device of a user (a phone on a long round trip) gets every message live
 * beside a fast one. The fast device acknowledges first, which takes a message
 * out of the user's backlog; the slow one, busy with earlier messages when it
 * arrives, used to look for it there and miss it (140 of 400 at a 300 ms ack).
 * A session now keeps what was offered to it while busy for its next pass.
 */
import assert from "node:assert/strict";
import { connect, directChat, emitAck, register, sleep } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

const SENDS = 300;

Deno.test("a slow device gets every message live, in order, beside a fast one", async () => {
  const server = await startTestServer({ RATE_LIMIT_MESSAGES: "10000" });
  const { url } = server;
  const [alice, bob] = [await register(url), await register(url)];
  const chatId = await directChat(url, alice, bob);
  const sender = await connect(url, alice.token);
  const fast = await connect(url, bob.token);
  const slow = await connect(url, bob.token, { ackDelayMs: 300 });
  await sleep(300); // connected, their first (empty) backlog read done; no user:reconnected
  // In bursts, as in a busy group: the slow device is mid-window when most arrive.
  for (let i = 0; i < SENDS; i += 10) {
    await Promise.all(Array.from({ length: 10 }, (_, j) =>
      emitAck(sender, "message:send", {
        chatId,
        content: `m${i + j}`,
        clientMsgId: `m${i + j}`,
      })));
  }
  const firstCopies = (received: typeof slow.received) =>
    received.filter((m, i) => received.findIndex((n) => n.id === m.id) === i);
  for (let waited = 0; waited < 5000; waited += 50) {
    if (firstCopies(slow.received).length >= SENDS) break;
    await sleep(50);
  }
  const expected = Array.from({ length: SENDS }, (_, i) => i + 1);
  for (const [name, device] of [["fast", fast], ["slow", slow]] as const) {
    const copies = firstCopies(device.received);
    assert.deepEqual(copies.map((m) => m.seq), expected, `the ${name} device, in order`);
    assert.ok(copies.every((m) => m.isNew), `the ${name} device, live`);
    assert.equal(device.received.length, SENDS, `the ${name} device, each once`);
  }
  await sleep(400); // the slow device's acks, each 300 ms after its message, go out first
  for (const socket of [sender, fast, slow]) socket.close();
  await server.close();
});
