/**
 * The MongoDB store runs the store contract where `MONGODB_URL` points to a
 * replica set (transactions need one). Each run uses a database of its own.
 */
import { MongoClient } from "mongodb";
import assert from "node:assert/strict";
import { openMongoStore } from "../../../src/adapters/mongo/mod.ts";
import { EncryptedMessageStore, Keyring } from "../../../src/adapters/crypto/mod.ts";
import { storeContract } from "../../contract/store.ts";
import { MONGODB_URL, mongoUp } from "../../_helpers/services.ts";

storeContract("mongodb", async () => {
  const database = `chat_test_${crypto.randomUUID().slice(0, 8)}`;
  const store = await openMongoStore({ url: MONGODB_URL!, database });
  return {
    store,
    cleanup: async () => {
      await store.close();
      const client = await MongoClient.connect(MONGODB_URL!);
      await client.db(database).dropDatabase();
      await client.close();
    },
  };
}, { ignore: !mongoUp() });

Deno.test({
  name: "mongodb keeps no plaintext content",
  ignore: !MONGODB_URL,
  fn: async () => {
    const database = `chat_test_${crypto.randomUUID().slice(0, 8)}`;
    const store = await openMongoStore({ url: MONGODB_URL!, database });
    const keyring = await Keyring.create({ currentId: "k1", keys: { k1: btoa("m".repeat(32)) } });
    const messages = new EncryptedMessageStore(store.messages, keyring);
    const at = new Date().toISOString();
    await store.chats.createGroup({
      id: "g",
      type: "group",
      participantIds: ["a", "b"],
      createdAt: at,
      createdBy: "a",
      lastSeq: 0,
      lastActivityAt: at,
    });
    await messages.append({
      id: "m1",
      clientMsgId: "c1",
      chatId: "g",
      senderId: "a",
      content: "MONGO-PLAINTEXT",
      createdAt: at,
    });
    const client = await MongoClient.connect(MONGODB_URL!);
    const raw = await client.db(database).collection<{ _id: string }>("messages").findOne({
      _id: "m1",
    });
    assert.ok(raw && !JSON.stringify(raw).includes("MONGO-PLAINTEXT"));
    assert.equal((await messages.get("m1"))?.content, "MONGO-PLAINTEXT");
    await client.db(database).dropDatabase();
    await client.close();
    await store.close();
  },
});
