/**
 * Bytes a KV file writes per message when commits are small, as at 1,000-2,000
 * msg/s: each commit stores three sends to three of 50 direct chats (the key
 * families of `src/adapters/kv/append.ts`), then a commit deletes their pending
 * entries as the acks do. Serial, on a file with the narrowed expiry index, after
 * 500 messages of history per chat. docs/benchmarks.md compares the layouts.
 *
 * `deno run -A bench/kv_layout.ts [layout]` prints KB written per message (from
 * /proc/self/io, Linux) and the commits' p50/p99. Layouts:
 * - `current`: the store's keys;
 * - `prefix`: a chat's record, members and messages (newest first) under one prefix;
 * - `lean`: no chat or membership write (the seq checked on the message key);
 * - `by-id`: records under their time-ordered id, a small per-chat index entry;
 * - `no-records`, `ids-only`: message records left out; only ids and pending entries.
 * @module
 */
import { narrowExpiryIndex } from "../src/adapters/kv/_expiry_index.ts";

const layout = Deno.args[0] ?? "current";
const [CHATS, HISTORY, COMMITS, PER_COMMIT] = [50, 500, 3000, 3];
const dir = await Deno.makeTempDir({ prefix: "kv-layout-" });
const path = `${dir}/layout.kv`;
(await Deno.openKv(path)).close();
narrowExpiryIndex(path);
const kv = await Deno.openKv(path);

type Chat = { id: string; a: string; b: string; seq: number };
const chats: Chat[] = Array.from({ length: CHATS }, () => ({
  id: crypto.randomUUID(),
  a: crypto.randomUUID(),
  b: crypto.randomUUID(),
  seq: 0,
}));
const prefix = layout === "prefix";
const keys = {
  chat: (c: string) => (prefix ? ["c", c, 0] : ["chats", c]),
  member: (c: string, u: string) => (prefix ? ["c", c, 1, u] : ["members", c, u]),
  message: (c: string, seq: number) => (prefix ? ["c", c, 2, 1e9 - seq] : ["msg", c, seq]),
};
let sent = 0;

// Adds one send to `op` the way the store writes it (in the chosen layout); returns its seq.
function send(op: Deno.AtomicOperation, chat: Chat): number {
  const seq = ++chat.seq;
  const n = ++sent;
  const timeId = `${Date.now().toString(16).padStart(12, "0")}-${n}`;
  const record = {
    id: crypto.randomUUID(),
    clientMsgId: `c${n}`,
    chatId: chat.id,
    senderId: chat.a,
    seq,
    content: "x".repeat(180),
    createdAt: new Date().toISOString(),
    recipientIds: [chat.b],
  };
  const ref = { chatId: chat.id, seq };
  op.set(["pending", chat.b, chat.id, seq], 1);
  if (layout === "ids-only") return op.set(["msg_id", timeId], ref), seq;
  if (layout === "by-id") {
    op.set(keys.message(chat.id, seq), timeId).set(["msg_id", timeId], record);
  } else op.set(["msg_id", timeId], ref);
  if (layout !== "by-id" && layout !== "no-records") op.set(keys.message(chat.id, seq), record);
  op.set(["client_msg", chat.a, record.clientMsgId], ref);
  if (layout === "lean") {
    return op.check({ key: keys.message(chat.id, seq), versionstamp: null }), seq;
  }
  op.set(keys.chat(chat.id), { id: chat.id, participantIds: [chat.a, chat.b], lastSeq: seq });
  op.set(keys.member(chat.id, chat.a), { readSeq: seq - 1, ownAfterRead: 1 });
  return seq;
}

for (const chat of chats) {
  for (let i = 0; i < HISTORY; i += 20) {
    const op = kv.atomic();
    for (let j = 0; j < 20; j++) op.delete(["pending", chat.b, chat.id, send(op, chat)]);
    await op.commit();
  }
}

const written = async () =>
  Number((await Deno.readTextFile("/proc/self/io")).match(/write_bytes: (\d+)/)![1]);
const before = await written();
const times: number[] = [];
for (let i = 0; i < COMMITS; i++) {
  const picked = new Set<number>();
  while (picked.size < PER_COMMIT) picked.add(Math.floor(Math.random() * CHATS));
  const op = kv.atomic();
  const acked = [...picked].map((c) => ["pending", chats[c].b, chats[c].id, send(op, chats[c])]);
  const started = performance.now();
  await op.commit();
  const acks = kv.atomic();
  for (const key of acked) acks.delete(key);
  await acks.commit();
  times.push(performance.now() - started);
}
const kb = ((await written()) - before) / (COMMITS * PER_COMMIT) / 1024;
times.sort((a, b) => a - b);
const at = (p: number) => times[Math.floor(times.length * p)].toFixed(2);
console.log(
  `${layout}: ${kb.toFixed(1)} KB per message; send+ack commits p50 ${at(0.5)} / p99 ${
    at(0.99)
  } ms`,
);
kv.close();
await Deno.remove(dir, { recursive: true });
