/**
 * The store contract's file sweep steps: the sweep takes files no stored
 * message carries (uploads a day old by upload time, claims a day old by claim
 * time whose message was never stored), leaves sent and recent ones, asks about
 * each claim once, goes in batches, and loses no race with a retried send: a
 * claim made again starts its day over.
 * @module
 */
import assert from "node:assert/strict";
import type { FileRecord, Store } from "../../src/core/ports.ts";
import { fileRecord as file, randomBytes as bytes } from "./_store_fixtures.ts";

/** Runs the sweep steps on files of their own; the store holds no other claimed file. */
export async function fileSweepSteps(t: Deno.TestContext, store: Store): Promise<void> {
  await t.step("files: the sweep takes old files no stored message carries", async () => {
    const [old, recent, sent, refused] = [
      file(70_000, "2000-01-01T00:00:00.000Z"),
      file(5),
      file(5, "2000-01-01T00:00:01.000Z"),
      file(5, "2000-01-01T00:00:02.000Z"),
    ];
    for (const f of [old, recent, sent, refused]) await store.files.put(f, bytes(f.size));
    await store.files.claim([sent.id], "msg-5");
    await store.files.claim([refused.id], "msg-6");
    const asked: string[] = [];
    // Only msg-5 was stored: msg-6's send was refused after its claim.
    const isSent = (f: FileRecord) => {
      asked.push(`${f.id} ${f.claimedBy} ${f.name}`);
      return Promise.resolve(f.claimedBy === "msg-5");
    };
    // Uploads count from their upload, claims from the claim (a moment ago).
    const sweep = (before: string) => store.files.sweep(before, 100, isSent);
    assert.deepEqual(await sweep("2001-01-01T00:00:00.000Z"), { removed: 1, more: false });
    assert.equal(await store.files.get(old.id), null);
    assert.equal(await store.files.read(old.id), null);
    assert.deepEqual(asked, [], "a claim a moment old is not asked about");
    assert.equal((await store.files.get(refused.id))?.claimedBy, "msg-6", "it may still be sent");

    const later = new Date(Date.now() + 60_000).toISOString();
    assert.deepEqual(await sweep(later), { removed: 2, more: false }, "the refused and the unsent");
    assert.deepEqual(
      asked.sort(),
      [
        `${sent.id} msg-5 photo.jpg`,
        `${refused.id} msg-6 photo.jpg`,
      ].sort(),
      "each claim once, as stored",
    );
    assert.equal(await store.files.get(refused.id), null, "its message was never stored");
    assert.equal(await store.files.get(recent.id), null);
    assert.equal((await store.files.get(sent.id))?.claimedBy, "msg-5");
    assert.equal((await store.files.read(sent.id))?.length, 5, "its bytes stay");
    assert.deepEqual(await sweep(later), { removed: 0, more: false }, "nothing left");
    assert.equal(asked.length, 2, "a file seen sent is not asked about again");
    await store.files.remove([sent.id]);
  });

  await t.step(
    "files: the sweep goes in batches of its limit and says when one was full",
    async () => {
      const old = [1, 2, 3].map((s) => file(5, `2000-01-01T00:00:0${s}.000Z`));
      for (const f of old) await store.files.put(f, bytes(5));
      const never = () => Promise.resolve(false);
      const cutOff = "2001-01-01T00:00:00.000Z";
      assert.deepEqual(await store.files.sweep(cutOff, 2, never), { removed: 2, more: true });
      assert.deepEqual(await store.files.sweep(cutOff, 2, never), { removed: 1, more: false });
      assert.equal(await store.files.get(old[2].id), null);
    },
  );

  await t.step(
    "files: a send retried while the sweep looks at its day-old claim keeps it",
    async () => {
      const retried = file(5, "2000-01-01T00:00:00.000Z");
      await store.files.put(retried, bytes(5));
      await store.files.claim([retried.id], "msg-7");
      await new Promise((resolve) => setTimeout(resolve, 5));
      const cutOff = new Date().toISOString(); // the claim is older than this: a day old
      await new Promise((resolve) => setTimeout(resolve, 5));
      let asked = 0;
      // The message is not stored yet when the sweep asks; its send is retried right then.
      const retrying = async () => {
        asked++;
        assert.ok(await store.files.claim([retried.id], "msg-7"), "the retry claims it again");
        return false;
      };
      assert.deepEqual(await store.files.sweep(cutOff, 100, retrying), { removed: 0, more: false });
      assert.equal(asked, 1);
      assert.equal(
        (await store.files.get(retried.id))?.claimedBy,
        "msg-7",
        "the retry's claim won",
      );
      assert.equal((await store.files.read(retried.id))?.length, 5);
      const never = () => Promise.resolve(false);
      assert.deepEqual(
        await store.files.sweep(cutOff, 100, never),
        { removed: 0, more: false },
        "its claim's day starts over",
      );
      const later = new Date(Date.now() + 60_000).toISOString();
      assert.deepEqual(await store.files.sweep(later, 100, never), { removed: 1, more: false });
    },
  );
}
