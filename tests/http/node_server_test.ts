/**
 * A connection that moves no bytes for `HTTP_IDLE_MS` is closed: headers that
 * never end, a body that stops halfway, a keep-alive connection left idle; and
 * so is one whose headers come a line at a time and are not whole within it.
 * A client that sends its body slowly but keeps sending is served (after a
 * pipelined request too), a connection kept alive lasts the limit rather than
 * Node's 5 s, and Socket.IO stays connected past the limit over WebSocket and
 * over long-polling (whose ping comes within it). A body cut off is the
 * client's failure, logged at info, not as the server's error. Real servers on
 * port 0, raw TCP for the half-sent requests.
 */
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import { connect, register, sleep } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

const IDLE_MS = 1000;

// Reads until the server closes the connection; the time that took, or null if it
// was still open after 10 s (a server that keeps it forever).
async function closedAfter(conn: Deno.Conn): Promise<{ ms: number; text: string } | null> {
  const started = Date.now();
  const buffer = new Uint8Array(4096);
  let text = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => timer = setTimeout(() => resolve("late"), 10_000));
  try {
    while (true) {
      const n = await Promise.race([conn.read(buffer).catch(() => null), late]);
      if (n === "late") return null;
      if (n === null) return { ms: Date.now() - started, text };
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
  } finally {
    clearTimeout(timer);
    conn.close();
  }
}

Deno.test("HTTP: a connection idle for HTTP_IDLE_MS is closed", async (t) => {
  const logs: Record<string, unknown>[] = [];
  const server = await startTestServer({ HTTP_IDLE_MS: String(IDLE_MS), LOG_LEVEL: "info" }, {
    log: (line) => logs.push(JSON.parse(line)),
  });
  const open = async (request: string, port = server.port) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(new TextEncoder().encode(request));
    return conn;
  };
  // Meanwhile, on a server with a limit above Node's 5 s keep-alive default: a connection
  // kept alive lasts the limit, as a load balancer pooling connections expects.
  const patient = await startTestServer({ HTTP_IDLE_MS: "10000" });
  const health = "GET /health HTTP/1.1\r\nHost: t\r\n\r\n";
  const pooled = await open(health, patient.port);
  const answers = new Uint8Array(4096);
  await pooled.read(answers);
  const reused = sleep(7000).then(async () => {
    await pooled.write(
      new TextEncoder().encode(health.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n")),
    );
    return await closedAfter(pooled);
  });
  try {
    await t.step("half-sent requests, and one left idle after its answer", async () => {
      const cases = [
        ["headers that never end", "GET /health HTTP/1.1\r\nHost: t\r\n"],
        [
          "a body that stops",
          "POST /api/auth/login HTTP/1.1\r\nHost: t\r\n" +
          'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"username"',
        ],
        [
          "a chunked body that stops",
          "POST /api/auth/login HTTP/1.1\r\nHost: t\r\n" +
          'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\na\r\n{"username',
        ],
        ["a connection kept alive, then idle", "GET /health HTTP/1.1\r\nHost: t\r\n\r\n"],
      ];
      await Promise.all(cases.map(async ([what, request]) => {
        const closed = await closedAfter(await open(request));
        assert.ok(closed, `${what}: still open after 10 s`);
        assert.ok(closed.ms >= IDLE_MS * 0.9, `${what}: closed after ${closed.ms} ms`);
        if (what.startsWith("a connection kept")) assert.match(closed.text, /^HTTP\/1.1 200 /);
        else assert.equal(closed.text, "", `${what}: nothing answered`);
      }));
    });

    await t.step("headers sent a line at a time must still end within the limit", async () => {
      // The "slowloris" attack: each line resets an idle timer, so only a deadline ends it.
      const cases = [
        ["a new connection", ""],
        ["a request after an answer", "GET /health HTTP/1.1\r\nHost: t\r\n\r\n"],
      ];
      await Promise.all(cases.map(async ([what, first]) => {
        const conn = await open(`${first}GET /health HTTP/1.1\r\nHost: t\r\n`);
        const closed = closedAfter(conn);
        let lines = 0;
        const trickle = setInterval(() => {
          conn.write(new TextEncoder().encode(`X-Line-${lines++}: a\r\n`)).catch(() => {});
        }, IDLE_MS / 4);
        const result = await closed.finally(() => clearInterval(trickle));
        assert.ok(result, `${what}: still open after 10 s`);
        assert.ok(lines >= 3, `${what}: ${lines} lines sent before the close`);
        const answers = result.text.match(/HTTP\/1.1 200 /g) ?? [];
        assert.equal(answers.length, first ? 1 : 0, `${what}: only the whole request answered`);
      }));
    });

    await t.step("a client that keeps sending, however slowly, is served", async () => {
      const body = JSON.stringify({ username: "nobody", password: "not the password" });
      // After a quick request sent with it (pipelined): that answer must not start the
      // headers' clock while this request is still being read.
      const conn = await open(
        "GET /health HTTP/1.1\r\nHost: t\r\n\r\n" +
          "POST /api/auth/login HTTP/1.1\r\nHost: t\r\nConnection: close\r\n" +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      // Five pieces, a third of a second apart: 1.6 s in all, no wait as long as the limit.
      const pieces = body.match(/.{1,12}/gs)!;
      for (const piece of pieces) {
        await sleep(1600 / pieces.length);
        await conn.write(new TextEncoder().encode(piece));
      }
      const closed = await closedAfter(conn);
      assert.match(closed?.text ?? "", /^HTTP\/1.1 200 .*HTTP\/1.1 401 /s, "both answered");
    });

    await t.step("Socket.IO stays connected past the limit, both transports", async () => {
      const user = await register(server.url, "idle");
      const ws = await connect(server.url, user.token);
      const polling = io(server.url, {
        auth: { token: user.token },
        transports: ["polling"],
        forceNew: true,
        reconnection: false,
      });
      const reasons: string[] = [];
      polling.on("disconnect", (reason) => reasons.push(reason));
      try {
        await new Promise<void>((resolve, reject) => {
          polling.once("connect", () => resolve());
          polling.once("connect_error", reject);
        });
        await sleep(IDLE_MS * 3);
        assert.deepEqual([ws.socket.connected, ws.disconnectReason], [true, undefined]);
        assert.deepEqual([polling.connected, reasons], [true, []]);
      } finally {
        ws.close();
        polling.close();
      }
    });

    await t.step("a connection kept alive lasts the limit, not Node's 5 s", async () => {
      const closed = await reused;
      assert.match(closed?.text ?? "", /^HTTP\/1.1 200 /, "answered after 7 s idle");
    });

    await t.step("the server goes on serving, and logged no error of its own", async () => {
      const res = await fetch(`${server.url}/health`);
      assert.equal(res.status, 200);
      await res.body?.cancel();
      // The bodies cut off are the clients' failures: the chunked one, which the body limit
      // reads, is told at info, without a stack.
      assert.deepEqual(logs.filter((line) => line.level === "error"), []);
      const cut = logs.filter((line) => line.msg === "request cut short");
      assert.ok(cut.length >= 1 && cut.every((line) => line.level === "info" && !line.stack));
    });
  } finally {
    await server.close();
    await patient.close();
  }
});
