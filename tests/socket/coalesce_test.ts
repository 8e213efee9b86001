/**
 * Coalesced socket writes: a turn's writes are held and leave together, in order,
 * and every WebSocket connection of a Socket.IO server gets them, upgraded ones too.
 */
import assert from "node:assert/strict";
import {
  createConnection,
  createServer as createTcpServer,
  type Socket as TcpSocket,
} from "node:net";
import { listenIo } from "../_helpers/bare_io.ts";
import { io as connectClient, type Socket as ClientSocket } from "socket.io-client";
import { coalesceEngineWrites, coalesceWrites } from "../../src/socket/coalesce.ts";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

Deno.test("coalesceWrites holds a turn's writes and sends them together, in order", async () => {
  const accepted = Promise.withResolvers<TcpSocket>();
  const server = createTcpServer((socket) => accepted.resolve(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const client = await new Promise<TcpSocket>((resolve) => {
    const socket: TcpSocket = createConnection(port, "127.0.0.1", () => resolve(socket));
  });
  const tcp = await accepted.promise;
  coalesceWrites(tcp);
  let received = "";
  const all = Promise.withResolvers<void>();
  client.on("data", (chunk) => {
    received += String(chunk);
    if (received.length === 20) all.resolve();
  });

  // What reaches the socket's handle: one call per write system call.
  const handleWrites: number[] = [];
  const stream = tcp as unknown as Record<"_write" | "_writev", (...args: unknown[]) => void>;
  for (const method of ["_write", "_writev"] as const) {
    const original = stream[method];
    stream[method] = function (this: unknown, ...args: unknown[]) {
      handleWrites.push(method === "_writev" ? (args[0] as unknown[]).length : 1);
      return original.apply(this, args);
    };
  }
  for (let i = 0; i < 10; i++) tcp.write(`${i}.`);
  assert.deepEqual(handleWrites, [], "held until the turn ends");
  await nextTurn();
  await all.promise;
  assert.equal(received, "0.1.2.3.4.5.6.7.8.9.");
  assert.deepEqual(handleWrites, [10], "ten writes, one system call");

  tcp.write("x");
  await nextTurn();
  assert.deepEqual(handleWrites, [10, 1], "a lone write leaves at the end of its turn");
  client.destroy();
  tcp.destroy();
  await new Promise((resolve) => server.close(resolve));
});

Deno.test("coalesceEngineWrites covers WebSocket connections, upgraded ones too", async () => {
  const { io, url } = await listenIo();
  let missing = 0;
  coalesceEngineWrites(io, () => missing++);
  io.on("connection", (socket) => {
    socket.on("burst", (count: number) => {
      for (let i = 0; i < count; i++) socket.emit("n", i);
    });
  });
  const clients: ClientSocket[] = [];
  try {
    for (const transports of [["websocket"], ["polling", "websocket"]]) {
      const client = connectClient(url, { transports, forceNew: true, reconnection: false });
      clients.push(client);
      await new Promise<void>((resolve) => client.once("connect", () => resolve()));
      if (client.io.engine.transport.name !== "websocket") {
        await new Promise<void>((resolve) => client.io.engine.once("upgrade", () => resolve()));
      }
      const got: number[] = [];
      const done = Promise.withResolvers<void>();
      client.on("n", (i: number) => {
        got.push(i);
        if (got.length === 200) done.resolve();
      });
      client.emit("burst", 200);
      await done.promise;
      assert.deepEqual(got, Array.from({ length: 200 }, (_, i) => i), transports.join("+"));
    }
    assert.equal(missing, 0, "every WebSocket connection found its TCP socket");
  } finally {
    for (const client of clients) client.close();
    await io.close();
  }
});
