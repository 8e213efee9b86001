/**
 * The KV store: the store contract, and data surviving a reopen of the file.
 */
import assert from "node:assert/strict";
import { openKvStore } from "../../../src/adapters/kv/mod.ts";
import { storeContract } from "../../contract/store.ts";

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
