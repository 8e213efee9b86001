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
