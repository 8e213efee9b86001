/**
 * The offline queue contract: every `OfflineQueue` implementation runs this
 * suite, beside the store whose pending index stays the source of truth.
 * @module
 */
import assert from "node:assert/strict";
import type { OfflineQueue, Store } from "../../src/core/ports.ts";
import type { MessageRecord } from "../../src/core/types.ts";
import type { ContractOptions } from "./_options.ts";
import { chat, draft, now, ref } from "./_store_fixtures.ts";

/** Opens a fresh store and the queue under test. */
export type OpenQueue = () => Promise<
  { store: Store; queue: OfflineQueue; cleanup: () => Promise<void> }
>;

/** Registers the queue contract suite under `name`. */
export function queueContract(name: string, open: OpenQueue, options: ContractOptions = {}): void {
  Deno.test({
    name: `offline queue contract: ${name}`,
    ignore: options.ignore,
    fn: async (t) => {
      const { store, queue, cleanup } = await open();
      const chats = [chat("group", ["s", "r"]), chat("group", ["s", "r"])];
      for (const group of chats) await store.chats.createGroup(group);
      const chatIds = chats.map((c) => c.id);
      const sent: MessageRecord[] = [];
      for (let i = 0; i < 12; i++) {
        const { message } = await store.messages.append(draft(chatIds[i % 2], "s"));
        await queue.enqueue("r", message);
        sent.push(message);
      }

      await t.step("the backlog holds every message, in seq order per chat", async () => {
        const backlog = await queue.backlog("r", { limit: 100 });
        assert.deepEqual(backlog.map((m) => m.id).sort(), sent.map((m) => m.id).sort());
        for (const chatId of chatIds) {
          const seqs = backlog.filter((m) => m.chatId === chatId).map((m) => m.seq);
          assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6]);
        }
        assert.deepEqual(await queue.backlog("s", { limit: 100 }), [], "one user's backlog only");
      });

      await t.step("pages by cursor cover the backlog once", async () => {
        const seen: string[] = [];
        let after;
        for (;;) {
          const page: MessageRecord[] = await queue.backlog("r", { after, limit: 5 });
          seen.push(...page.map((m) => m.id));
          if (page.length < 5) break;
          after = { chatId: page[4].chatId, seq: page[4].seq };
        }
        assert.equal(seen.length, 12);
        assert.equal(new Set(seen).size, 12);
      });

      await t.step("delivered and settled messages leave the backlog", async () => {
        const refs = sent.slice(0, 4).map(ref);
        await store.messages.markDelivered("r", refs, now());
        await queue.settle("r", refs);
        const left = await queue.backlog("r", { limit: 100 });
        assert.deepEqual(left.map((m) => m.id).sort(), sent.slice(4).map((m) => m.id).sort());
        await queue.ping();
      });

      await cleanup();
    },
  });
}
