/**
 * The store contract's session steps: a user's logins are listed until their
 * newest token expires, a touch moves their activity and expiry (and brings
 * nothing back), and removing one is idempotent and leaves the others.
 * @module
 */
import assert from "node:assert/strict";
import type { SessionRecord, Store } from "../../src/core/ports.ts";

/** Runs the session steps on user ids of their own. */
export async function sessionSteps(t: Deno.TestContext, store: Store): Promise<void> {
  const [a, b] = [`session-a-${crypto.randomUUID()}`, `session-b-${crypto.randomUUID()}`];
  const at = (ms: number) => new Date(Date.now() + ms).toISOString();
  const login = (userId: string, id: string, expiresInMs = 3_600_000): SessionRecord => ({
    id,
    userId,
    generation: 0,
    createdAt: at(0),
    lastActiveAt: at(0),
    expiresAt: at(expiresInMs),
    agent: "test agent",
  });
  const ids = async (userId: string) => (await store.sessions.list(userId)).map((s) => s.id).sort();

  await t.step("sessions: each user's logins, until their token expires", async () => {
    const kept = login(b, "s9");
    await store.sessions.add(login(a, "s1"));
    await store.sessions.add(login(a, "s2"));
    await store.sessions.add(login(a, "gone", -1000));
    await store.sessions.add(kept);
    assert.deepEqual(await ids(a), ["s1", "s2"]);
    assert.deepEqual(await store.sessions.list(b), [kept], "as it was added");
  });

  await t.step("sessions: a touch moves activity and expiry, and revives nothing", async () => {
    const later = at(60_000);
    assert.equal(await store.sessions.touch(a, "s1", { lastActiveAt: later }), true);
    const [s1] = (await store.sessions.list(a)).filter((s) => s.id === "s1");
    assert.equal(s1.lastActiveAt, later);
    assert.ok(Date.parse(s1.expiresAt) > Date.now() + 3_000_000, "its expiry stays");
    await store.sessions.touch(a, "s2", { lastActiveAt: later, expiresAt: at(-1000) });
    assert.deepEqual(await ids(a), ["s1"], "its token expired: over");
    const extended = at(7_200_000);
    await store.sessions.touch(a, "s1", { lastActiveAt: later, expiresAt: extended });
    assert.equal((await store.sessions.list(a))[0].expiresAt, extended);
    assert.equal(await store.sessions.touch(a, "never", { lastActiveAt: later }), false);
    assert.deepEqual(await ids(a), ["s1"], "touching a login that is gone adds none");
  });

  await t.step("sessions: removing one is idempotent and leaves the others", async () => {
    await store.sessions.add(login(a, "s3"));
    await store.sessions.remove(a, "s1");
    await store.sessions.remove(a, "s1");
    await store.sessions.remove(a, "s9"); // another user's id, under this user: nothing
    assert.deepEqual(await ids(a), ["s3"]);
    assert.deepEqual(await ids(b), ["s9"]);
  });
}
