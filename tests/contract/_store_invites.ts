/**
 * The store contract's invite steps: a group has one invite at most, found by
 * its code; a new one replaces the last (even two at the same moment leave one
 * live code), and a revoked or replaced code finds nothing.
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../src/core/ports.ts";
import type { InviteRecord } from "../../src/core/types.ts";
import { now } from "./_store_fixtures.ts";

/** Runs the invite steps on chat ids of their own. */
export async function inviteSteps(t: Deno.TestContext, store: Store): Promise<void> {
  const [g, h] = [`invite-g-${crypto.randomUUID()}`, `invite-h-${crypto.randomUUID()}`];
  const invite = (chatId: string): InviteRecord => ({
    chatId,
    code: crypto.randomUUID(),
    createdBy: "u1",
    createdAt: now(),
  });

  await t.step("invites: one per group, found by its code", async () => {
    assert.equal(await store.invites.get(g), null);
    assert.equal(await store.invites.find("no-such-code"), null);
    const [first, other] = [invite(g), invite(h)];
    await store.invites.put(first);
    await store.invites.put(other);
    assert.deepEqual(await store.invites.get(g), first);
    assert.deepEqual(await store.invites.find(first.code), first);
    assert.deepEqual(await store.invites.find(other.code), other, "each group its own");
  });

  await t.step("invites: a new one replaces the last, even two at once", async () => {
    const old = (await store.invites.get(g))!;
    const next = invite(g);
    await store.invites.put(next);
    assert.equal(await store.invites.find(old.code), null, "the old code finds nothing");
    assert.deepEqual(await store.invites.find(next.code), next);
    const racing = [invite(g), invite(g)];
    await Promise.all(racing.map((i) => store.invites.put(i)));
    const kept = (await store.invites.get(g))!;
    assert.ok(racing.some((i) => i.code === kept.code));
    const found = await Promise.all([next, ...racing].map((i) => store.invites.find(i.code)));
    assert.deepEqual(found.filter((i) => i !== null), [kept], "one live code");
  });

  await t.step("invites: revoking is idempotent and leaves other groups' alone", async () => {
    const live = (await store.invites.get(g))!;
    await store.invites.remove(g);
    await store.invites.remove(g);
    assert.equal(await store.invites.get(g), null);
    assert.equal(await store.invites.find(live.code), null);
    assert.equal((await store.invites.get(h))?.chatId, h);
    await store.invites.remove(h);
  });
}
