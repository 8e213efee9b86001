/**
 * The store contract: every `Store` implementation runs this suite. Its steps run
 * in order on one store; the later ones build on the chats and messages of the
 * earlier ones. The steps of each part (users, chats, the pending index, files,
 * receipts, changes and more) are in `_store_*.ts`.
 * @module
 */
import assert from "node:assert/strict";
import { AccessError, ConflictError } from "../../src/core/errors.ts";
import type { Store } from "../../src/core/ports.ts";
import type { ChatRecord } from "../../src/core/types.ts";
import type { ContractOptions } from "./_options.ts";
import { chat, draft, now, user } from "./_store_fixtures.ts";
import { userSteps } from "./_store_users.ts";
import { blockSteps } from "./_store_blocks.ts";
import { reportSteps } from "./_store_reports.ts";
import { batchSteps } from "./_store_batches.ts";
import { receiptSteps } from "./_store_receipts.ts";
import { changeSteps } from "./_store_changes.ts";
import { roleSteps } from "./_store_roles.ts";
import { starSteps } from "./_store_stars.ts";
import { preferenceSteps } from "./_store_preferences.ts";
import { inviteSteps } from "./_store_invites.ts";
import { sessionSteps } from "./_store_sessions.ts";
import { fileSteps } from "./_store_files.ts";
import { timerSteps } from "./_store_timers.ts";
import { addressedSteps } from "./_store_addressed.ts";
import { bySenderSteps } from "./_store_by_sender.ts";
import { chatSteps } from "./_store_chats.ts";
import { pendingSteps } from "./_store_pending.ts";

/** Opens a fresh, empty store for one run of the suite. */
export type OpenStore = () => Promise<{ store: Store; cleanup: () => Promise<void> }>;

/** Registers the store contract suite under `name`. */
export function storeContract(name: string, open: OpenStore, options: ContractOptions = {}): void {
  Deno.test({
    name: `store contract: ${name}`,
    ignore: options.ignore,
    fn: async (t) => {
      const { store, cleanup } = await open();
      const [a, b, c] = [user(), user(), user()];
      for (const u of [a, b, c]) await store.users.create(u);

      await userSteps(t, store, [a, b]);
      await blockSteps(t, store);
      await reportSteps(t, store);
      await roleSteps(t, store);
      await starSteps(t, store);
      await preferenceSteps(t, store);
      await inviteSteps(t, store);
      await sessionSteps(t, store);
      await fileSteps(t, store);
      await timerSteps(t, store);
      await addressedSteps(t, store);
      await bySenderSteps(t, store);

      let direct: ChatRecord;
      await t.step(
        "chats: a direct chat is unique per pair, even when created at once",
        async () => {
          const results = await Promise.all([
            store.chats.createDirect(chat("direct", [a.id, b.id])),
            store.chats.createDirect(chat("direct", [b.id, a.id])),
          ]);
          assert.equal(results[0].chat.id, results[1].chat.id);
          assert.deepEqual(results.map((r) => r.created).sort(), [false, true]);
          direct = results[0].chat;
          assert.equal((await store.chats.getMembership(direct.id, a.id))?.readSeq, 0);
          assert.equal(await store.chats.getMembership(direct.id, c.id), null);
        },
      );

      let group: ChatRecord;
      await t.step("chats: groups and each user's list", async () => {
        group = await store.chats.createGroup({ ...chat("group", [a.id, b.id, c.id]), name: "g" });
        const list = await store.chats.listForUser(a.id);
        assert.deepEqual(list.map((x) => x.chat.id).sort(), [direct.id, group.id].sort());
        assert.equal((await store.chats.listForUser(c.id)).length, 1);
      });

      await t.step("append: seq 1, 2, 3 with no gaps under concurrency", async () => {
        const results = await Promise.all(
          Array.from(
            { length: 20 },
            (_, i) => store.messages.append(draft(group.id, [a, b, c][i % 3].id)),
          ),
        );
        assert.deepEqual(
          results.map((r) => r.message.seq).sort((x, y) => x - y),
          Array.from({ length: 20 }, (_, i) => i + 1),
        );
        assert.equal((await store.chats.get(group.id))?.lastSeq, 20);
        const m = results.find((r) => r.message.senderId === a.id)!.message;
        assert.deepEqual(m.recipientIds.sort(), [b.id, c.id].sort());
      });

      await chatSteps(t, store, [a, b, c]);

      await t.step("append: idempotent by (sender, clientMsgId); refused elsewhere", async () => {
        const first = await store.messages.append(draft(direct.id, a.id, "same"));
        const again = await store.messages.append(draft(direct.id, a.id, "same"));
        assert.equal(first.created, true);
        assert.equal(again.created, false);
        assert.equal(again.message.id, first.message.id);
        const other = await store.messages.append(draft(direct.id, b.id, "same"));
        assert.equal(other.created, true, "keys are per sender");
        await assert.rejects(store.messages.append(draft(group.id, a.id, "same")), ConflictError);
        await assert.rejects(store.messages.append(draft(direct.id, c.id)), AccessError);
        await assert.rejects(store.messages.append(draft("missing", a.id)), AccessError);
        const found = await store.messages.getByClientMsgId(a.id, "same");
        assert.equal(found?.id, first.message.id);
        assert.equal(found?.counts.delivered, 0);
        assert.equal((await store.messages.getByClientMsgId(b.id, "same"))?.id, other.message.id);
        assert.equal(await store.messages.getByClientMsgId(c.id, "same"), null, "per sender");
        assert.equal(await store.messages.getByClientMsgId(a.id, "never-sent"), null);
        const replyTo = { id: first.message.id, seq: first.message.seq, senderId: a.id };
        const reply = await store.messages.append({ ...draft(direct.id, b.id), replyTo });
        assert.deepEqual((await store.messages.get(reply.message.id))?.replyTo, replyTo);
      });

      await pendingSteps(t, store, [a, c]);

      await t.step("markRead: a watermark that also delivers, clamped to lastSeq", async () => {
        const changes = await store.messages.markRead(b.id, group.id, 1000, { at: now() });
        const othersMessages = (await store.messages.history(group.id, { limit: 100 })).filter((
          m,
        ) => m.senderId !== b.id);
        assert.equal(changes.length, othersMessages.length);
        assert.ok(changes.every((x) => x.status === "read"));
        assert.equal((await store.chats.getMembership(group.id, b.id))?.readSeq, 20);
        assert.equal((await store.chats.getMembership(group.id, b.id))?.ownAfterRead, 0);
        assert.equal(
          (await store.messages.listPending(b.id, { limit: 100 })).filter((m) =>
            m.chatId === group.id
          ).length,
          0,
        );
        const m = await store.messages.get(othersMessages[0].id);
        assert.equal(m?.counts.read, 1);
        assert.ok(m && m.counts.delivered >= m.counts.read, "read implies delivered");
        assert.deepEqual(
          await store.messages.markRead(b.id, group.id, 5, { at: now() }),
          [],
          "never moves back",
        );
        await assert.rejects(
          store.messages.markRead(a.id, "missing", 1, { at: now() }),
          AccessError,
        );
      });

      await t.step(
        "history: newest first below beforeSeq, oldest first above afterSeq, with counts",
        async () => {
          const page = await store.messages.history(group.id, { limit: 5 });
          assert.deepEqual(page.map((m) => m.seq), [20, 19, 18, 17, 16]);
          const older = await store.messages.history(group.id, { limit: 5, beforeSeq: 3 });
          assert.deepEqual(older.map((m) => m.seq), [2, 1]);
          const seqs = async (options: { afterSeq: number; beforeSeq?: number; limit: number }) =>
            (await store.messages.history(group.id, options)).map((m) => m.seq);
          assert.deepEqual(await seqs({ afterSeq: 0, limit: 3 }), [1, 2, 3], "oldest first");
          assert.deepEqual(await seqs({ afterSeq: 17, limit: 5 }), [18, 19, 20]);
          assert.deepEqual(await seqs({ afterSeq: 20, limit: 5 }), []);
          assert.deepEqual(await seqs({ afterSeq: 2, beforeSeq: 6, limit: 10 }), [3, 4, 5]);
          assert.deepEqual(await seqs({ afterSeq: 5, beforeSeq: 6, limit: 10 }), []);
          assert.deepEqual(await seqs({ afterSeq: 9, beforeSeq: 3, limit: 10 }), []);
          assert.ok(page.every((m) => typeof m.counts.delivered === "number"));
          assert.deepEqual(
            (await store.messages.getBySeq(group.id, [2, 99, 1])).map((m) => m.seq),
            [
              2,
              1,
            ],
          );
          assert.equal(await store.messages.get("missing"), null);
        },
      );

      await batchSteps(t, store, [a, b, c]);

      await t.step("pendingCounts: per user, and says when the limit cut it short", async () => {
        const { counts, complete } = await store.messages.pendingCounts({ limit: 100_000 });
        assert.ok(complete);
        for (const u of [a, b, c]) {
          const pending = await store.messages.listPending(u.id, { limit: 100_000 });
          assert.equal(counts.get(u.id) ?? 0, pending.length, u.username);
        }
        const cut = await store.messages.pendingCounts({ limit: 2 });
        assert.equal(cut.complete, false);
        assert.equal([...cut.counts.values()].reduce((x, y) => x + y, 0), 2);
      });

      await receiptSteps(t, store);
      await changeSteps(t, store, [a, b]);

      await cleanup();
    },
  });
}
