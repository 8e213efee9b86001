import { spawnServer } from "/work/main/tests/_helpers/server.ts";
import { pool, rssMb, serverPair } from "/work/main/bench/_load.ts";
import { relay } from "/work/main/bench/scenarios.ts";
const dir = await Deno.makeTempDir();
const s = await spawnServer({
  DATA_DIR: dir,
  RATE_LIMIT_MESSAGES: "1000000",
  LOGIN_LIMIT_PER_ADDRESS: "1000000",
}, { denoArgs: Deno.args });
console.log("start", await rssMb(s.pid));
const pairs = await pool(Array.from({ length: 50 }), 10, () => serverPair(s.url));
console.log("pairs", await rssMb(s.pid));
const r = await relay(pairs, { perSender: 200, window: 10 });
console.log("relay", r.msgPerSec, await rssMb(s.pid));
for (const p of pairs) p.close();
await new Promise((r) => setTimeout(r, 3000));
console.log("after", await rssMb(s.pid));
await s.kill();
