/**
 * The MongoDB store runs the store contract where `MONGODB_URL` points to a
 * replica set (transactions need one). Each run uses a database of its own.
 */
import { MongoClient } from "mongodb";
import { openMongoStore } from "../../../src/adapters/mongo/mod.ts";
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
