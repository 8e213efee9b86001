/**
 * The store contract's report steps: one report per reporter, user and message,
 * even when sent twice at once, pages newest first, of all users or one, and
 * resolved ones out of the open queue.
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../src/core/ports.ts";
import type { ReportRecord } from "../../src/core/types.ts";
import { uuidv7 } from "../../src/core/_ids.ts";

/** Runs the report steps on a store that holds no report yet. */
export async function reportSteps(t: Deno.TestContext, store: Store): Promise<void> {
  const start = Date.now();
  let n = 0;
  const report = (reporterId: string, userId: string, messageId?: string): ReportRecord => ({
    id: uuidv7(start + ++n),
    reporterId,
    userId,
    reason: "spam",
    ...(messageId
      ? {
        message: { id: messageId, chatId: "c", seq: 1, content: "buy now", createdAt: "t" },
      }
      : {}),
    createdAt: new Date(start + n).toISOString(),
  });

  const stored: ReportRecord[] = [];
  await t.step("reports: one per reporter, user and message", async () => {
    const first = report("r1", "u1", "m1");
    assert.deepEqual(await store.reports.add(first), { report: first, created: true });
    const again = await store.reports.add({ ...report("r1", "u1", "m1"), note: "again" });
    assert.deepEqual(again, { report: first, created: false }, "the first stays");
    stored.push(first);
    for (const other of [report("r1", "u1"), report("r1", "u1", "m2"), report("r2", "u1", "m1")]) {
      assert.equal((await store.reports.add(other)).created, true);
      stored.push(other);
    }
    const racing = [report("r3", "u1"), report("r3", "u1")];
    const results = await Promise.all(racing.map((r) => store.reports.add(r)));
    assert.deepEqual(results.map((r) => r.created).sort(), [false, true]);
    assert.equal(results[0].report.id, results[1].report.id);
    stored.push(results[0].report);
  });

  await t.step("reports: pages newest first", async () => {
    const ids = stored.map((r) => r.id).sort().reverse();
    const all = await store.reports.list({ limit: 100 });
    assert.deepEqual(all.map((r) => r.id), ids);
    assert.deepEqual(all.find((r) => r.id === stored[0].id), stored[0], "as added");
    const page = await store.reports.list({ limit: 2 });
    assert.deepEqual(page.map((r) => r.id), ids.slice(0, 2));
    const next = await store.reports.list({ limit: 2, before: page[1].id });
    assert.deepEqual(next.map((r) => r.id), ids.slice(2, 4));
  });

  await t.step("reports: one user's, newest first", async () => {
    const other = report("r1", "u2");
    await store.reports.add(other);
    const ofU1 = stored.map((r) => r.id).sort().reverse();
    const all = await store.reports.list({ limit: 100, userId: "u1" });
    assert.deepEqual(all.map((r) => r.id), ofU1);
    assert.deepEqual(all.find((r) => r.id === stored[0].id), stored[0], "as added");
    assert.deepEqual(await store.reports.list({ limit: 100, userId: "u2" }), [other]);
    const page = await store.reports.list({ limit: 2, userId: "u1", before: ofU1[1] });
    assert.deepEqual(page.map((r) => r.id), ofU1.slice(2, 4));
    assert.deepEqual(await store.reports.list({ limit: 5, userId: "nobody" }), []);
  });

  await t.step("reports: resolved ones leave the open queue", async () => {
    const ofU1 = stored.map((r) => r.id).sort().reverse();
    const resolution = { action: "dismissed" as const, resolvedAt: new Date().toISOString() };
    const resolved = await store.reports.resolve(stored[0].id, resolution);
    assert.deepEqual(resolved, { ...stored[0], resolution }, "as added, with the resolution");
    assert.equal(await store.reports.resolve("missing", resolution), null);
    const ids = async (
      options: { status: "open" | "resolved"; userId?: string; before?: string },
    ) => (await store.reports.list({ limit: 100, ...options })).map((r) => r.id);
    assert.deepEqual(await ids({ status: "resolved" }), [stored[0].id]);
    assert.deepEqual(await ids({ status: "resolved", userId: "u1" }), [stored[0].id]);
    assert.deepEqual(await ids({ status: "resolved", userId: "u2" }), []);
    const open = ofU1.filter((id) => id !== stored[0].id);
    assert.deepEqual(await ids({ status: "open", userId: "u1" }), open);
    const everyone = (await store.reports.list({ limit: 100 })).map((r) => r.id);
    assert.deepEqual(await ids({ status: "open" }), everyone.filter((id) => id !== stored[0].id));
    assert.deepEqual(await ids({ status: "open", userId: "u1", before: open[0] }), open.slice(1));
    const again = {
      action: "actioned" as const,
      note: "suspended",
      resolvedAt: resolution.resolvedAt,
    };
    assert.deepEqual((await store.reports.resolve(stored[0].id, again))?.resolution, again);
  });
}
