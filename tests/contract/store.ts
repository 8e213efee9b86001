/**
 * The store contract: every `Store` implementation runs this suite.
 * @module
 */
import assert from "node:assert/strict";
import { AccessError, ConflictError } from "../../src/core/errors.ts";
import type { Store } from "../../src/core/ports.ts";
import type { ChatRecord, MessageRecord, UserRecord } from "../../src/core/types.ts";
import type { ContractOptions } from "./_options.ts";

/** Opens a fresh, empty store for one run of the suite. */
export type OpenStore = () => Promise<{ store: Store; cleanup: () => Promise<void> }>;

const now = () => new Date().toISOString();
let n = 0;
const uid = (p: string) => `${p}-${++n}-${crypto.randomUUID().slice(0, 8)}`;

function user(name = uid("u")): UserRecord {
  return {
    id: uid("id"),
    username: name,
    email: `${name}@example.com`,
    displayName: name,
    passwordHash: "x",
    createdAt: now(),
  };
}

function chat(type: "direct" | "group", participantIds: string[]): ChatRecord {
  return {
    id: uid("chat"),
    type,
    participantIds,
    createdAt: now(),
    createdBy: participantIds[0],
    lastSeq: 0,
    lastActivityAt: now(),
  };
}

function draft(chatId: string, senderId: string, clientMsgId = uid("c")) {
  return {
    id: crypto.randomUUID(),
    clientMsgId,
    chatId,
    senderId,
    content: "hi",
    createdAt: now(),
  };
}

const ref = (m: MessageRecord) => ({
  chatId: m.chatId,
  seq: m.seq,
  messageId: m.id,
  senderId: m.senderId,
});

/** Registers the store contract suite under `name`. */
export function storeContract(name: string, open: OpenStore, options: ContractOptions = {}): void {
  Deno.test({
    name: `store contract: ${name}`,
    ignore: options.ignore,
    fn: async (t) => {
      const { store, cleanup } = await open();
      const [a, b, c] = [user(), user(), user()];
      for (const u of [a, b, c]) await store.users.create(u);

      await t.step("users: unique username and email, case-insensitive lookup", async () => {
        await assert.rejects(
          store.users.create({ ...user(), username: a.username.toUpperCase() }),
          ConflictError,
        );
        await assert.rejects(store.users.create({ ...user(), email: a.email }), ConflictError);
        assert.equal((await store.users.findByLogin(a.username.toUpperCase()))?.id, a.id);
        assert.equal((await store.users.findByLogin(a.email))?.id, a.id);
        assert.equal(await store.users.findByLogin("nobody"), null);
        assert.deepEqual((await store.users.getMany([b.id, "missing", a.id])).map((u) => u.id), [
          b.id,
          a.id,
        ]);
      });

      await t.step("users: update sets and removes fields", async () => {
        const updated = await store.users.update(a.id, {
          displayName: "A",
          avatar: "https://x/a.png",
          lastSeen: now(),
        });
        assert.equal(updated?.displayName, "A");
        assert.equal((await store.users.update(a.id, { avatar: undefined }))?.avatar, undefined);
        assert.equal(await store.users.update("missing", { displayName: "x" }), null);
      });

      await t.step("friendships are mutual; revoked tokens are remembered", async () => {
        await store.users.addFriendship(a.id, b.id);
        assert.deepEqual(await store.users.listFriends(b.id), [a.id]);
        assert.equal(await store.users.areFriends(b.id, a.id), true);
        await store.users.removeFriendship(b.id, a.id);
        assert.equal(await store.users.areFriends(a.id, b.id), false);
        await store.users.revokeToken("jti-1", new Date(Date.now() + 60_000));
        assert.equal(await store.users.isTokenRevoked("jti-1"), true);
        assert.equal(await store.users.isTokenRevoked("jti-2"), false);
      });

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
      });

      await t.step("pending index: in (chat, seq) order, paged by cursor", async () => {
        const pendingA = await store.messages.listPending(a.id, { limit: 100 });
        const expected = [...pendingA].sort((
          x,
          y,
        ) => (x.chatId === y.chatId ? x.seq - y.seq : x.chatId < y.chatId ? -1 : 1));
        assert.deepEqual(pendingA.map((m) => m.id), expected.map((m) => m.id));
        assert.ok(pendingA.every((m) => m.senderId !== a.id));
        const first = await store.messages.listPending(a.id, { limit: 3 });
        const last = first[2];
        const rest = await store.messages.listPending(a.id, {
          after: { chatId: last.chatId, seq: last.seq },
          limit: 100,
        });
        assert.deepEqual([...first, ...rest].map((m) => m.id), pendingA.map((m) => m.id));
      });

      await t.step("markDelivered: changes once, removes from pending, counts", async () => {
        const pending = await store.messages.listPending(c.id, { limit: 100 });
        const changes = await store.messages.markDelivered(
          c.id,
          pending.slice(0, 2).map(ref),
          now(),
        );
        assert.equal(changes.length, 2);
        assert.ok(changes.every((x) => x.status === "delivered" && x.userId === c.id));
        assert.equal(
          (await store.messages.markDelivered(c.id, pending.slice(0, 2).map(ref), now())).length,
          0,
        );
        const left = await store.messages.listPending(c.id, { limit: 100 });
        assert.equal(left.length, pending.length - 2);
        const stored = await store.messages.get(pending[0].id);
        assert.equal(stored?.counts.delivered, 1);
      });

      await t.step("markRead: a watermark that also delivers, clamped to lastSeq", async () => {
        const changes = await store.messages.markRead(b.id, group.id, 1000, now());
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
          await store.messages.markRead(b.id, group.id, 5, now()),
          [],
          "never moves back",
        );
        await assert.rejects(store.messages.markRead(a.id, "missing", 1, now()), AccessError);
      });

      await t.step("history: newest first, paged below beforeSeq, with counts", async () => {
        const page = await store.messages.history(group.id, { limit: 5 });
        assert.deepEqual(page.map((m) => m.seq), [20, 19, 18, 17, 16]);
        const older = await store.messages.history(group.id, { limit: 5, beforeSeq: 3 });
        assert.deepEqual(older.map((m) => m.seq), [2, 1]);
        assert.ok(page.every((m) => typeof m.counts.delivered === "number"));
        assert.deepEqual((await store.messages.getBySeq(group.id, [2, 99, 1])).map((m) => m.seq), [
          2,
          1,
        ]);
        assert.equal(await store.messages.get("missing"), null);
      });

      await t.step("append: many at once, with repeats and refusals among them", async () => {
        // More sends than fit one KV atomic operation, all in one tick.
        const users = [a, b, c];
        const chats = await Promise.all(
          Array.from({ length: 12 }, () => store.chats.createGroup(chat("group", [a.id, b.id]))),
        );
        const before = await store.chats.createGroup(chat("group", [a.id, b.id]));
        await store.messages.append(draft(before.id, a.id, "many-before"));
        const sends = Array.from({ length: 180 }, (_, i) => {
          const sender = users[i % 2];
          return store.messages.append(draft(chats[i % 12].id, sender.id, `many-${i}`));
        });
        const repeat = store.messages.append(draft(chats[0].id, a.id, "many-0"));
        const refused = assert.rejects(
          store.messages.append(draft(chats[1].id, c.id)),
          AccessError,
        );
        const misplaced = assert.rejects(
          store.messages.append(draft(chats[2].id, a.id, "many-before")),
          ConflictError,
        );
        const results = await Promise.all(sends);
        assert.equal((await repeat).message.id, results[0].message.id);
        assert.equal((await repeat).created, false);
        await refused;
        await misplaced;
        for (const [i, { id }] of chats.entries()) {
          const seqs = results.filter((r) => r.message.chatId === id).map((r) => r.message.seq)
            .sort((x, y) => x - y);
          assert.deepEqual(seqs, Array.from({ length: 15 }, (_, k) => k + 1), `chat ${i}`);
          assert.equal((await store.chats.get(id))?.lastSeq, 15);
        }
        assert.ok(results.every((r) => r.created));
        // Acks of two users at once, one message acked by two devices: each counted once.
        const toB = results.filter((r) => r.message.senderId === a.id).map((r) => ref(r.message));
        const toA = results.filter((r) => r.message.senderId === b.id).map((r) => ref(r.message));
        const [second, first, ofA] = await Promise.all([
          store.messages.markDelivered(b.id, toB.slice(0, 5), now()),
          store.messages.markDelivered(b.id, toB, now()),
          store.messages.markDelivered(a.id, toA, now()),
        ]);
        assert.equal(first.length + second.length, toB.length);
        assert.equal(ofA.length, toA.length);
        assert.equal((await store.messages.get(toB[0].messageId))?.counts.delivered, 1);
        const left = await store.messages.listPending(b.id, { limit: 1000 });
        assert.ok(left.every((m) => !chats.some((c) => c.id === m.chatId)));
      });

      await t.step(
        "append: one clientMsgId sent to many chats at once is stored once",
        async () => {
          const chats = await Promise.all(
            Array.from({ length: 8 }, () => store.chats.createGroup(chat("group", [a.id, b.id]))),
          );
          const settled = await Promise.allSettled(
            chats.map((c) => store.messages.append(draft(c.id, a.id, "everywhere"))),
          );
          const stored = settled.filter((r) => r.status === "fulfilled");
          assert.equal(stored.length, 1, "exactly one chat got it");
          for (const r of settled) {
            if (r.status === "rejected") assert.ok(r.reason instanceof ConflictError, r.reason);
          }
          const home = stored[0].value.message.chatId;
          for (const c of chats) {
            assert.equal(
              (await store.messages.history(c.id, { limit: 10 })).length,
              c.id === home ? 1 : 0,
            );
          }
        },
      );

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

      await t.step("append: sends to a large group that arrive together", async () => {
        // 150 members with ids as long as real ones: three such sends fit the KV limit of
        // 1000 mutations per atomic operation but not its limit of 80 KiB of keys.
        const members = [a.id, ...Array.from({ length: 149 }, () => crypto.randomUUID())];
        const big = await store.chats.createGroup({
          ...chat("group", members),
          id: crypto.randomUUID(),
        });
        const results = await Promise.all(
          Array.from({ length: 8 }, () => store.messages.append(draft(big.id, a.id))),
        );
        assert.deepEqual(results.map((r) => r.message.seq).sort((x, y) => x - y), [
          1,
          2,
          3,
          4,
          5,
          6,
          7,
          8,
        ]);
        const last = await store.messages.listPending(members[149], { limit: 100 });
        assert.deepEqual(last.map((m) => m.seq), [1, 2, 3, 4, 5, 6, 7, 8]);
      });

      await t.step("an ack that arrives after the read counts nothing more", async () => {
        const [x, y, z] = [user(), user(), user()];
        for (const u of [x, y, z]) await store.users.create(u);
        const g = await store.chats.createGroup(chat("group", [x.id, y.id, z.id]));
        const { message } = await store.messages.append(draft(g.id, x.id));
        assert.equal((await store.messages.listPending(y.id, { limit: 10 })).length, 1);
        assert.equal((await store.messages.markRead(y.id, g.id, 1, now())).length, 1);
        assert.deepEqual(await store.messages.markDelivered(y.id, [ref(message)], now()), []);
        const [stored] = await store.messages.getBySeq(g.id, [1]);
        assert.deepEqual([stored.counts.delivered, stored.counts.read], [1, 1]);
        assert.equal((await store.messages.markDelivered(z.id, [ref(message)], now())).length, 1);
        const [after] = await store.messages.getBySeq(g.id, [1]);
        assert.deepEqual([after.counts.delivered, after.counts.read], [2, 1]);
      });

      await t.step(
        "removeMember: stops delivery and counts the member's receipts as done",
        async () => {
          const [x, y, z] = [user(), user(), user()];
          for (const u of [x, y, z]) await store.users.create(u);
          const g = await store.chats.createGroup(chat("group", [x.id, y.id, z.id]));
          const sent: MessageRecord[] = [];
          for (let i = 0; i < 3; i++) {
            sent.push((await store.messages.append(draft(g.id, x.id))).message);
          }
          await store.messages.markDelivered(y.id, sent.slice(0, 2).map(ref), now());
          await store.messages.markRead(y.id, g.id, 1, now());
          await store.messages.markDelivered(z.id, sent.slice(0, 1).map(ref), now());
          const counts = async () =>
            (await store.messages.getBySeq(g.id, [1, 2, 3])).map((m) => [
              m.counts.delivered,
              m.counts.read,
            ]);
          assert.deepEqual(await counts(), [[2, 1], [1, 0], [0, 0]]);

          const after = await store.chats.removeMember(g.id, z.id);
          assert.deepEqual(after?.participantIds, [x.id, y.id]);
          assert.equal(await store.chats.getMembership(g.id, z.id), null);
          assert.deepEqual(await store.messages.listPending(z.id, { limit: 10 }), []);
          // z now counts as delivered and read everywhere; y's own state is unchanged.
          assert.deepEqual(await counts(), [[2, 2], [2, 1], [1, 1]]);
          assert.deepEqual(
            await store.messages.markDelivered(z.id, sent.map(ref), now()),
            [],
            "a late ack of the removed member changes nothing",
          );
          await store.chats.removeMember(g.id, z.id);
          assert.deepEqual(
            await counts(),
            [[2, 2], [2, 1], [1, 1]],
            "removing again counts nothing",
          );
          await store.messages.markRead(y.id, g.id, 3, now());
          assert.deepEqual(await counts(), [[2, 2], [2, 2], [2, 2]], "every recipient is done");
        },
      );

      await t.step(
        "counts of one-recipient messages: acked, read, and a removed recipient",
        async () => {
          const [x, y] = [user(), user()];
          for (const u of [x, y]) await store.users.create(u);
          const direct = (await store.chats.createDirect(chat("direct", [x.id, y.id]))).chat;
          const duo = await store.chats.createGroup(chat("group", [x.id, y.id]));
          const sent: MessageRecord[] = [];
          for (const c of [direct, direct, direct, duo, duo]) {
            sent.push((await store.messages.append(draft(c.id, x.id))).message);
          }
          const counts = async () =>
            (await Promise.all(sent.map((m) => store.messages.get(m.id)))).map((m) => [
              m?.counts.delivered,
              m?.counts.read,
            ]);
          assert.deepEqual(await counts(), [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]]);
          await store.messages.markDelivered(y.id, [ref(sent[0]), ref(sent[3])], now());
          assert.deepEqual(await counts(), [[1, 0], [0, 0], [0, 0], [1, 0], [0, 0]]);
          await store.messages.markRead(y.id, direct.id, 2, now());
          assert.deepEqual(await counts(), [[1, 1], [1, 1], [0, 0], [1, 0], [0, 0]]);
          await store.chats.removeMember(duo.id, y.id);
          assert.deepEqual(await counts(), [[1, 1], [1, 1], [0, 0], [1, 1], [1, 1]]);
          const history = await store.messages.history(direct.id, { limit: 10 });
          assert.deepEqual(history.map((m) => [m.counts.delivered, m.counts.read]), [
            [0, 0],
            [1, 1],
            [1, 1],
          ]);
        },
      );

      await t.step(
        "receipts over many commits: two devices reading at once, then a removal, count once",
        async () => {
          const [x, y, z] = [user(), user(), user()];
          for (const u of [x, y, z]) await store.users.create(u);
          const g = await store.chats.createGroup(chat("group", [x.id, y.id, z.id]));
          const sent: MessageRecord[] = [];
          for (let i = 0; i < 200; i++) {
            // Every tenth message is y's own: y reads past it and z gets it.
            const sender = i % 10 === 9 ? y.id : x.id;
            sent.push((await store.messages.append(draft(g.id, sender))).message);
          }
          const toY = sent.filter((m) => m.senderId !== y.id);
          await store.messages.markDelivered(y.id, toY.slice(0, 100).map(ref), now());
          const calls = await Promise.all([
            store.messages.markRead(y.id, g.id, 200, now()),
            store.messages.markRead(y.id, g.id, 120, now()),
            store.messages.markRead(y.id, g.id, 200, now()),
          ]);
          const ids = calls.flat().map((change) => change.messageId).sort();
          assert.deepEqual(ids, toY.map((m) => m.id).sort(), "each message read once");
          const member = await store.chats.getMembership(g.id, y.id);
          assert.equal(member?.readSeq, 200);
          assert.equal(member?.ownAfterRead, 0);
          await store.chats.removeMember(g.id, z.id);
          await store.chats.removeMember(g.id, z.id);
          const stored = await store.messages.getBySeq(g.id, sent.map((m) => m.seq));
          for (const m of stored) {
            const recipients = m.senderId === y.id ? 1 : 2;
            assert.deepEqual(
              [m.counts.delivered, m.counts.read],
              [recipients, recipients],
              `seq ${m.seq}`,
            );
          }
          assert.deepEqual(await store.messages.listPending(y.id, { limit: 10 }), []);
          assert.deepEqual(await store.messages.listPending(z.id, { limit: 10 }), []);
        },
      );

      await cleanup();
    },
  });
}
