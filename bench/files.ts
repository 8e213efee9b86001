/**
 * What slow downloads cost the server's memory: CLIENTS clients (20) each ask
 * for the same file of SIZE_MB (10), read its first 64 KiB and then stop
 * reading, as phones on a poor network do; the server's RSS is read before,
 * while they hold, and at its peak. Then one client downloads the whole file
 * ROUNDS (5) times, for the rate. The server runs embedded, as `deno task
 * start` runs it, or from MAIN (another checkout's src/main.ts) to compare.
 *
 *   deno run -A bench/downloads.ts
 * @module
 */
import { spawnServer } from "../tests/_helpers/server.ts";
import { api, directChat, registerAll } from "../tests/_helpers/client.ts";
import { round, rssMb, sleep } from "./_load.ts";

const env = (name: string, fallback: string) => Deno.env.get(name) ?? fallback;
const CLIENTS = Number(env("CLIENTS", "20"));
const SIZE = Number(env("SIZE_MB", "10")) * 1024 * 1024;
const ROUNDS = Number(env("ROUNDS", "5"));

const dataDir = await Deno.makeTempDir({ prefix: "bench-downloads-" });
const server = await spawnServer({
  DATA_DIR: dataDir,
  MALLOC_MMAP_THRESHOLD_: "4194304",
  MAX_FILE_BYTES: String(SIZE),
  LOG_LEVEL: "info", // spawnServer waits for the "listening" line
}, { main: Deno.env.get("MAIN") });
const peakMb = async () => {
  const status = await Deno.readTextFile(`/proc/${server.pid}/status`);
  return round(Number(status.match(/VmHWM:\s+(\d+) kB/)?.[1]) / 1024);
};

try {
  const [alice, bob] = await registerAll(server.url, "alice", "bob");
  const chatId = await directChat(server.url, alice, bob);
  const upload = await fetch(`${server.url}/api/chats/${chatId}/files?name=film.mp4`, {
    method: "POST",
    headers: { Authorization: `Bearer ${alice.token}`, "Content-Type": "video/mp4" },
    body: new Uint8Array(SIZE).map((_, i) => i % 251),
  });
  const { id } = (await upload.json()).file;
  await api(server.url, "GET", "/health");
  await sleep(1000);
  const before = await rssMb(server.pid);

  // Raw connections: a client that stops reading leaves the bytes to the server.
  const request = new TextEncoder().encode(
    `GET /api/files/${id} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer ${alice.token}\r\n\r\n`,
  );
  const { port } = new URL(server.url);
  const held = await Promise.all(Array.from({ length: CLIENTS }, async () => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(port) });
    await conn.write(request);
    const buffer = new Uint8Array(65_536);
    let got = 0;
    while (got < buffer.length) got += (await conn.read(buffer.subarray(got))) ?? buffer.length;
    return conn;
  }));
  await sleep(2000);
  const holding = await rssMb(server.pid);
  const peak = await peakMb();
  for (const conn of held) conn.close();

  const rates: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    const res = await fetch(`${server.url}/api/files/${id}`, {
      headers: { Authorization: `Bearer ${alice.token}` },
    });
    const bytes = await res.bytes();
    if (bytes.length !== SIZE) throw new Error(`Cannot download: got ${bytes.length} bytes`);
    rates.push(round(SIZE / 1024 / 1024 / ((performance.now() - started) / 1000)));
  }
  console.log(JSON.stringify({
    clients: CLIENTS,
    sizeMb: SIZE / 1024 / 1024,
    rssBeforeMb: before,
    rssHoldingMb: holding,
    perClientMb: round((holding - before) / CLIENTS),
    peakRssMb: peak,
    wholeDownloadMbPerS: rates,
  }));
} finally {
  await server.kill("SIGTERM");
  await Deno.remove(dataDir, { recursive: true });
}
