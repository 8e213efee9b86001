/**
 * What files cost the server's memory, each phase on a fresh server. Uploads:
 * CLIENTS clients (20) upload a file of SIZE_MB (10) each at once; the
 * server's RSS is read before and at its peak. Stalled downloads: each client
 * asks for a file, reads its first 64 KiB and stops reading, as phones on a
 * poor network do; RSS is read before and while they hold. Before them, one
 * client downloads the whole file ROUNDS (5) times, for the rate. The server runs
 * embedded, as `deno task start` runs it, or from MAIN (another checkout's
 * src/main.ts) to compare.
 *
 *   deno run -A bench/files.ts
 * @module
 */
import { type ChildServer, spawnServer } from "../tests/_helpers/server.ts";
import { directChat, registerAll } from "../tests/_helpers/client.ts";
import { round, rssMb, sleep } from "./_load.ts";

const env = (name: string, fallback: string) => Deno.env.get(name) ?? fallback;
const CLIENTS = Number(env("CLIENTS", "20"));
const SIZE = Number(env("SIZE_MB", "10")) * 1024 * 1024;
const ROUNDS = Number(env("ROUNDS", "5"));
const DATA = new Uint8Array(SIZE).map((_, i) => i % 251);

type Session = { server: ChildServer; upload: () => Promise<string>; token: string };

// A fresh server with a user and a chat to upload to; stopped after `run`.
async function withServer<T>(run: (session: Session) => Promise<T>): Promise<T> {
  const dataDir = await Deno.makeTempDir({ prefix: "bench-files-" });
  const server = await spawnServer({
    DATA_DIR: dataDir,
    MALLOC_MMAP_THRESHOLD_: "4194304",
    MAX_FILE_BYTES: String(SIZE),
    UPLOAD_LIMIT: "1000",
    LOG_LEVEL: "info", // spawnServer waits for the "listening" line
  }, { main: Deno.env.get("MAIN") });
  try {
    const [alice, bob] = await registerAll(server.url, "alice", "bob");
    const chatId = await directChat(server.url, alice, bob);
    const upload = async () => {
      const res = await fetch(`${server.url}/api/chats/${chatId}/files?name=film.mp4`, {
        method: "POST",
        headers: { Authorization: `Bearer ${alice.token}`, "Content-Type": "video/mp4" },
        body: DATA,
      });
      if (res.status !== 201) throw new Error(`Cannot upload: ${res.status}`);
      return (await res.json()).file.id as string;
    };
    await sleep(1000);
    return await run({ server, upload, token: alice.token });
  } finally {
    await server.kill("SIGTERM");
    await Deno.remove(dataDir, { recursive: true });
  }
}

async function peakMb(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return round(Number(status.match(/VmHWM:\s+(\d+) kB/)?.[1]) / 1024);
}

const uploads = await withServer(async ({ server, upload }) => {
  const before = await rssMb(server.pid);
  await Promise.all(Array.from({ length: CLIENTS }, upload));
  return { rssBeforeMb: before, peakRssMb: await peakMb(server.pid) };
});

const downloads = await withServer(async ({ server, upload, token }) => {
  const id = await upload();
  // Whole downloads first, for the rate: they also warm the allocator up, so that what the
  // stalled ones hold is not hidden by memory the first download would have taken anyway.
  const rates: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    const res = await fetch(`${server.url}/api/files/${id}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const bytes = await res.bytes();
    if (bytes.length !== SIZE) throw new Error(`Cannot download: got ${bytes.length} bytes`);
    rates.push(round(SIZE / 1024 / 1024 / ((performance.now() - started) / 1000)));
  }
  await sleep(1000);
  const before = await rssMb(server.pid);
  // Raw connections: a client that stops reading leaves the bytes to the server.
  const request = new TextEncoder().encode(
    `GET /api/files/${id} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer ${token}\r\n\r\n`,
  );
  const port = Number(new URL(server.url).port);
  const held = await Promise.all(Array.from({ length: CLIENTS }, async () => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(request);
    const buffer = new Uint8Array(65_536);
    let got = 0;
    while (got < buffer.length) got += (await conn.read(buffer.subarray(got))) ?? buffer.length;
    return conn;
  }));
  await sleep(2000);
  const holding = await rssMb(server.pid);
  for (const conn of held) conn.close();
  return {
    rssBeforeMb: before,
    rssHoldingMb: holding,
    perStalledClientMb: round((holding - before) / CLIENTS),
    wholeDownloadMbPerS: rates,
  };
});

console.log(JSON.stringify({ clients: CLIENTS, sizeMb: SIZE / 1024 / 1024, uploads, downloads }));
