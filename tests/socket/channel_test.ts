/**
 * The device channel's one timer: waits that began at different times each time
 * out at their own deadline, acks in time win, and close settles the rest.
 */
import assert from "node:assert/strict";
import type { Socket } from "socket.io";
import { io as connectClient } from "socket.io-client";
import { SocketChannel } from "../../src/socket/channel.ts";
import type { MessageView } from "../../src/protocol/mod.ts";
import { listenIo } from "../_helpers/bare_io.ts";
import { sleep } from "../_helpers/client.ts";

const message = (id: string) => ({ id }) as MessageView;

Deno.test("socket channel: each wait times out at its own deadline, one timer for all", async () => {
  const { io, url } = await listenIo();
  const connected = Promise.withResolvers<Socket>();
  io.on("connection", (socket) => connected.resolve(socket));
  const client = connectClient(url, {
    transports: ["websocket"],
    reconnection: false,
  });
  // The client acks "late" after 150 ms and never acks "lost-*".
  client.on("message:received", (m: { id: string }, ack: () => void) => {
    if (m.id === "late") setTimeout(ack, 150);
  });
  const channel = new SocketChannel(await connected.promise, 200);
  try {
    const started = performance.now();
    const settledAt = (promise: Promise<boolean>) =>
      promise.then((acked) => ({ acked, ms: performance.now() - started }));
    const first = settledAt(channel.deliver(message("lost-1")));
    await sleep(100);
    const late = settledAt(channel.deliver(message("late")));
    await sleep(50);
    const third = settledAt(channel.deliver(message("lost-2")));

    const [a, b, c] = await Promise.all([first, late, third]);
    assert.equal(a.acked, false);
    assert.ok(a.ms >= 199, `the first wait ran its 200 ms (${a.ms})`);
    assert.equal(b.acked, true, "an ack inside the wait's own deadline counts");
    assert.equal(c.acked, false);
    assert.ok(c.ms >= 349, `the third wait ran its own 200 ms (${c.ms})`);

    const open = channel.deliver(message("lost-3"));
    channel.close();
    assert.equal(await open, false, "close settles what is waiting");
    assert.equal(await channel.deliver(message("lost-4")), false, "a closed channel sends nothing");
  } finally {
    client.close();
    await io.close();
  }
});
