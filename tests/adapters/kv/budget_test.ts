/**
 * Commit sizing for the KV group commit: key sizes are upper bounds of KV's
 * encoding, and a budget closes a commit before any of KV's limits.
 */
import assert from "node:assert/strict";
import { CommitBudget, keyBytes, oversized, sendCost } from "../../../src/adapters/kv/_budget.ts";
import type { MessageRecord } from "../../../src/core/types.ts";

Deno.test("kv commit budget", async (t) => {
  await t.step("keyBytes: tag and terminator per part, UTF-8 widths, escaped 0x00", () => {
    assert.equal(keyBytes(["abc"]), 5);
    assert.equal(keyBytes(["abc", 7]), 15);
    assert.equal(keyBytes(["a\u00e9"]), 5, "é is two bytes");
    assert.equal(keyBytes(["\u20ac"]), 5, "€ is three bytes");
    assert.equal(keyBytes(["a\0b"]), 6, "0x00 is escaped to two bytes");
  });

  await t.step("keyBytes: what fits by our count, KV accepts; over it, KV refuses", async () => {
    const dir = await Deno.makeTempDir();
    const kv = await Deno.openKv(`${dir}/budget.kv`);
    const part = "x".repeat(1000);
    for (const [count, fits] of [[80, true], [82, false]] as const) {
      const keys = Array.from({ length: count }, (_, i) => [part, i]);
      const total = keys.reduce((sum, key) => sum + keyBytes(key), 0);
      assert.equal(total <= 80 * 1024, fits, `${total} bytes by our count`);
      const op = kv.atomic();
      for (const key of keys) op.set(key, 1);
      const accepted = await op.commit().then(() => true, () => false);
      assert.equal(accepted, fits, `KV with ${count} keys`);
    }
    kv.close();
    await Deno.remove(dir, { recursive: true });
  });

  await t.step("a budget takes the first item always, then only what fits", () => {
    const budget = new CommitBudget();
    const huge = { checks: 500, mutations: 0, keyBytes: 0, bytes: 0 };
    assert.equal(budget.take(huge), true, "an item too large alone still gets a commit");
    assert.equal(budget.take({ checks: 1, mutations: 0, keyBytes: 0, bytes: 0 }), false);
    const fresh = new CommitBudget();
    const item = { checks: 1, mutations: 10, keyBytes: 100, bytes: 100 };
    let taken = 0;
    while (fresh.take(item)) taken++;
    assert.equal(taken, 100, "KV's 100 checks");
    assert.equal(fresh.items, 100);
  });

  await t.step("a send costs its index entries of the recipients it addresses", () => {
    const message = {
      id: "m",
      clientMsgId: "c",
      chatId: "chat",
      senderId: "s",
      seq: 1,
      content: "hi @b @c",
      createdAt: new Date().toISOString(),
      recipientIds: ["a", "b", "c"],
    };
    const plain = sendCost(message, false, false);
    assert.equal(plain.mutations, 3 + 3, "the message, its id, its idempotency key, 3 pending");
    const mentioning = sendCost({ ...message, mentions: ["b", "c", "s"] }, false, false);
    assert.equal(mentioning.mutations, plain.mutations + 2, "not the sender's own mention");
    assert.ok(mentioning.keyBytes > plain.keyBytes);
  });

  await t.step(
    "oversized: the largest record by our count, KV stores; past it, refused",
    async () => {
      // What V8 writes in two bytes per unit: emoji (20 reactions of 32 units), a clientMsgId.
      const record = (contentLength: number): MessageRecord => ({
        id: "m".repeat(36),
        clientMsgId: "é".repeat(128),
        chatId: "c".repeat(36),
        senderId: "s".repeat(36),
        seq: 1,
        content: "A".repeat(contentLength), // sealed content is base64
        createdAt: new Date().toISOString(),
        recipientIds: ["r".repeat(36)],
        reactions: Object.fromEntries(
          Array.from({ length: 20 }, (_, i) => [`${i}`.padEnd(32, "😀"), ["u".repeat(36)]]),
        ),
      });
      // The longest content taken, found by halving: `low` fits, `high` does not.
      let [low, high] = [0, 100_000];
      while (high - low > 1) {
        const middle = (low + high) >> 1;
        if (oversized(JSON.stringify(record(middle)).length)) high = middle;
        else low = middle;
      }
      assert.ok(low > 50_000, `${low} characters`);
      assert.equal(oversized(JSON.stringify(record(high)).length)?.code, "payload_too_large");
      const dir = await Deno.makeTempDir();
      const kv = await Deno.openKv(`${dir}/oversized.kv`);
      assert.ok((await kv.set(["m"], record(low))).ok, "KV stores the largest record we take");
      kv.close();
      await Deno.remove(dir, { recursive: true });
    },
  );
});
