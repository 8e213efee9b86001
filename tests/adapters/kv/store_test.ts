/**
 * The KV store: the store contract, data surviving a reopen of the file, files of
 * older versions (their entries read, their dead records dropped), and the
 * narrowed expiry index.
 */
import assert from "node:assert/strict";
import { openKvStore } from "../../../src/adapters/kv/mod.ts";
import { storeContract } from "../../contract/store.ts";
import { DatabaseSync } from "node:sqlite";
import { narrowExpiryIndex } from "../../../src/adapters/kv/_expiry_index.ts";

storeContract("deno kv", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kv-contract-" });
  const store = await openKvStore({ path: `${dir}/chat.kv` });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
});

Deno.test("kv store: messages and pending entries survive closing and reopening the file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kv-reopen-" });
  const path = `${dir}/chat.kv`;
  const first = await openKvStore({ path });
  const at = new Date().toISOString();
  await first.chats.createGroup({
    id: "g",
    type: "group",
    participantIds: ["a", "b"],
    createdAt: at,
    createdBy: "a",
    lastSeq: 0,
    lastActivityAt: at,
  });
  const { message } = await first.messages.append({
    id: "m1",
    clientMsgId: "c1",
    chatId: "g",
    senderId: "a",
    content: "kept",
    createdAt: at,
  });
  await first.close();
  const second = await openKvStore({ path });
  const pending = await second.messages.listPending("b", { limit: 10 });
  assert.deepEqual(pending.map((m) => m.id), [message.id]);
  assert.equal(
    (await second.messages.append({
      id: "m2",
      clientMsgId: "c2",
      chatId: "g",
      senderId: "a",
      content: "next",
      createdAt: at,
    })).message.seq,
    2,
  );
  await second.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("kv store: an ack of a pending entry written by an older version still counts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kv-older-" });
  const store = await openKvStore({ path: `${dir}/chat.kv` });
  const at = new Date().toISOString();
  await store.chats.createGroup({
    id: "g",
    type: "group",
    participantIds: ["a", "b", "c"],
    createdAt: at,
    createdBy: "a",
    lastSeq: 0,
    lastActivityAt: at,
  });
  const { message: m } = await store.messages.append({
    id: "m1",
    clientMsgId: "c1",
    chatId: "g",
    senderId: "a",
    content: "hi",
    createdAt: at,
  });
  // Older versions stored `true` in pending entries, not the number of recipients.
  const kv = await Deno.openKv(`${dir}/chat.kv`);
  await kv.set(["pending", "b", "g", m.seq], true);
  kv.close();
  const ref = { chatId: "g", seq: m.seq, messageId: m.id, senderId: "a" };
  assert.equal((await store.messages.markDelivered("b", [ref], at)).length, 1);
  assert.equal((await store.messages.get(m.id))?.counts.delivered, 1);
  await store.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("kv store: receipt records of older versions are deleted at open, nothing else", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kv-legacy-" });
  const path = `${dir}/chat.kv`;
  await (await openKvStore({ path })).close();
  const kv = await Deno.openKv(path);
  // More than one commit's worth, as a busy older file would hold.
  for (let i = 0; i < 1200; i += 100) {
    const op = kv.atomic();
    for (let seq = i + 1; seq <= i + 100; seq++) {
      op.set(["receipt", "b", "g", seq], { status: "delivered", at: "2026-01-01T00:00:00Z" });
    }
    await op.commit();
  }
  await kv.set(["pending", "b", "g", 1201], 1);
  kv.close();
  const store = await openKvStore({ path });
  await store.close();
  const after = await Deno.openKv(path);
  assert.equal((await Array.fromAsync(after.list({ prefix: ["receipt"] }))).length, 0);
  assert.equal((await after.get(["pending", "b", "g", 1201])).value, 1, "other entries stay");
  after.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("kv store: reports of older versions are indexed at open, once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kv-reports-" });
  const path = `${dir}/chat.kv`;
  const kv = await Deno.openKv(path);
  // What an older version wrote: reports, with no index of each user's, and no marker.
  const reports = Array.from({ length: 600 }, (_, i) => ({
    id: `r${String(i).padStart(4, "0")}`,
    reporterId: "a",
    userId: i % 2 ? "odd" : "even",
    reason: "spam" as const,
    createdAt: "2026-01-01T00:00:00Z",
  }));
  for (let i = 0; i < reports.length; i += 100) {
    const op = kv.atomic();
    for (const report of reports.slice(i, i + 100)) op.set(["reports", report.id], report);
    await op.commit();
  }
  kv.close();
  let store = await openKvStore({ path });
  const odd = await store.reports.list({ limit: 1000, userId: "odd" });
  assert.equal(odd.length, 300);
  assert.equal(odd[0].id, "r0599", "newest first");
  assert.ok(odd.every((r) => r.userId === "odd"));
  const open = await store.reports.list({ limit: 1000, status: "open" });
  assert.equal(open.length, 600, "and every one in the open queue");
  // Resolving takes a report out of the queue's index, which then only holds open ones.
  await store.reports.resolve("r0000", { action: "dismissed", resolvedAt: "2026-01-02T00:00:00Z" });
  const index = await Deno.openKv(path);
  assert.equal((await index.get(["reports_open", "r0000"])).versionstamp, null);
  assert.notEqual((await index.get(["reports_open", "r0001"])).versionstamp, null);
  index.close();
  await store.close();
  // Once done, it is not done again: a report left out of the index stays out.
  const raw = await Deno.openKv(path);
  await raw.set(["reports", "r9999"], { ...reports[0], id: "r9999", userId: "late" });
  raw.close();
  store = await openKvStore({ path });
  assert.deepEqual(await store.reports.list({ limit: 10, userId: "late" }), []);
  await store.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("kv store: the expiry index is partial, and Deno KV's expiry queries still use it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kv-expiry-" });
  const path = `${dir}/chat.kv`;
  const store = await openKvStore({ path });
  await store.users.revokeToken("t1", new Date(Date.now() + 60_000));
  assert.equal(
    await store.users.isTokenRevoked("t1"),
    true,
    "an expiring entry is kept until it expires",
  );
  await store.close();
  assert.equal(narrowExpiryIndex(path), false, "a second open changes nothing");
  const db = new DatabaseSync(path);
  const { sql } = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'kv_expiration_ms_idx'")
    .get() as { sql: string };
  assert.match(sql, /WHERE expiration_ms >= 0/);
  // The two statements Deno KV's SQLite backend runs to find and delete expired entries.
  for (
    const query of [
      "delete from kv where expiration_ms >= 0 and expiration_ms <= 1 returning k",
      "select expiration_ms from kv where expiration_ms >= 0 order by expiration_ms limit 1",
    ]
  ) {
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[];
    assert.ok(plan.some((step) => step.detail.includes("kv_expiration_ms_idx")), query);
  }
  const rows = db.prepare("SELECT count(*) AS n FROM kv WHERE expiration_ms >= 0").get() as {
    n: number;
  };
  assert.equal(rows.n, 1, "the revoked token is in the index");
  db.close();
  await Deno.remove(dir, { recursive: true });
});
