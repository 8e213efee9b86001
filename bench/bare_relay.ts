/**
 * The ceiling of this stack: a bare Socket.IO relay on the same runtime and
 * libraries as the server, with no auth, storage, presence or receipts. A client
 * connects with `auth: { id }`; `message:send` `{ to, content }` is emitted to the
 * socket(s) of `to` as `message:received` (with an ack, as the server does) and
 * acknowledged to the sender at once.
 *
 * `deno run -A bench/bare_relay.ts` prints `{"msg":"listening","port":N}`.
 * @module
 */
import { createServer } from "node:http";
import { Server } from "socket.io";

const http = createServer();
const io = new Server(http, { transports: ["websocket"], serveClient: false });

io.on("connection", (socket) => {
  socket.join(String(socket.handshake.auth.id));
  socket.on(
    "message:send",
    (payload: { to: string; content: string }, ack?: (r: unknown) => void) => {
      io.to(payload.to).timeout(10_000).emit("message:received", payload, () => {});
      ack?.({ ok: true });
    },
  );
});

http.listen(0, "127.0.0.1", () => {
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : 0;
  console.log(JSON.stringify({ msg: "listening", port }));
});
