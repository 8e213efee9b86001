/**
 * The embedded offline queue (the KV store's pending index) runs the queue contract.
 */
import { openKvStore } from "../../../src/adapters/kv/mod.ts";
import { PendingIndexQueue } from "../../../src/adapters/memory/mod.ts";
import { queueContract } from "../../contract/queue.ts";

queueContract("pending index on deno kv", async () => {
  const dir = await Deno.makeTempDir({ prefix: "queue-contract-" });
  const store = await openKvStore({ path: `${dir}/chat.kv` });
  const queue = new PendingIndexQueue(store.messages);
  return {
    store,
    queue,
    cleanup: async () => {
      await queue.close();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
});
