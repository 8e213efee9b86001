/**
 * The store contract's user steps: uniqueness, updates, friendships, revoked
 * tokens, and erasing an account and the list of deletions in progress.
 * @module
 */
import assert from "node:assert/strict";
import { ConflictError } from "../../src/core/errors.ts";
import type { Store } from "../../src/core/ports.ts";
import type { UserRecord } from "../../src/core/types.ts";
import { now, user } from "./_store_fixtures.ts";

/** Runs the user steps on two users the store already holds. */
export async function userSteps(
  t: Deno.TestContext,
  store: Store,
  [a, b]: UserRecord[],
): Promise<void> {
  await t.step("users: unique username and email, case-insensitive lookup", async () => {
    await assert.rejects(
      store.users.create({ ...user(), username: a.username.toUpperCase() }),
      ConflictError,
    );
    await assert.rejects(store.users.create({ ...user(), email: a.email }), ConflictError);
    assert.equal((await store.users.findByLogin(a.username.toUpperCase()))?.id, a.id);
    assert.equal((await store.users.findByLogin(a.email!))?.id, a.id);
    assert.equal(await store.users.findByLogin("nobody"), null);
    // An identity provider's logins name the id: a second account with it is refused.
    await assert.rejects(store.users.create({ ...user(), id: a.id }), ConflictError);
    assert.equal((await store.users.get(a.id))?.username, a.username);
    assert.deepEqual((await store.users.getMany([b.id, "missing", a.id])).map((u) => u.id), [
      b.id,
      a.id,
    ]);
  });

  await t.step("users: accounts without email or password (an identity provider's)", async () => {
    const [c, d] = [user(), user()].map(({ email: _e, passwordHash: _p, ...rest }) => ({
      ...rest,
      external: true as const,
    }));
    await store.users.create(c);
    await store.users.create(d);
    assert.deepEqual(await store.users.get(d.id), d);
    assert.equal((await store.users.findByLogin(c.username))?.id, c.id);
  });

  await t.step("users: update sets and removes fields", async () => {
    const updated = await store.users.update(a.id, {
      displayName: "A",
      avatar: "https://x/a.png",
      lastSeen: now(),
    });
    assert.equal(updated?.displayName, "A");
    const tokens = { current: 2, keptSessionId: "sid-1" };
    await store.users.update(a.id, { passwordHash: "new-hash", tokens });
    const stored = await store.users.get(a.id);
    assert.equal(stored?.passwordHash, "new-hash");
    assert.deepEqual(stored?.tokens, tokens);
    assert.equal(stored?.displayName, "A", "fields not in the patch stay");
    assert.equal((await store.users.update(a.id, { avatar: undefined }))?.avatar, undefined);
    const suspension = { reason: "spam", suspendedAt: now() };
    await store.users.update(a.id, { suspension });
    assert.deepEqual((await store.users.get(a.id))?.suspension, suspension);
    await store.users.update(a.id, { suspension: undefined });
    assert.equal((await store.users.get(a.id))?.suspension, undefined);
    assert.equal(await store.users.update("missing", { displayName: "x" }), null);
  });

  await t.step("users: an update that expects a token generation wins once", async () => {
    // `b` never had its tokens cut: generation 0. Two changes at once: one wins.
    const change = (keptSessionId: string) =>
      store.users.update(b.id, {
        displayName: keptSessionId,
        tokens: { current: 1, keptSessionId },
      }, {
        generation: 0,
      });
    const results = await Promise.allSettled([change("one"), change("two")]);
    const won = results.flatMap((r) => r.status === "fulfilled" ? [r.value] : []);
    const lost = results.flatMap((r) => r.status === "rejected" ? [r.reason] : []);
    assert.equal(won.length, 1, "exactly one wins");
    assert.ok(lost[0] instanceof ConflictError, "the other is a conflict");
    const stored = await store.users.get(b.id);
    assert.deepEqual(stored?.tokens, won[0]?.tokens, "the winner's generation is kept");
    assert.equal(stored?.displayName, won[0]?.displayName, "with the winner's patch only");
    await assert.rejects(
      store.users.update(b.id, { displayName: "x" }, { generation: 0 }),
      ConflictError,
    );
    const next = await store.users.update(b.id, { tokens: { current: 2 } }, { generation: 1 });
    assert.deepEqual(next?.tokens, { current: 2 });
    assert.equal(
      await store.users.update("missing", { displayName: "x" }, { generation: 0 }),
      null,
    );
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

  await t.step("users: erase frees the logins and keeps a tombstone", async () => {
    const gone = user();
    await store.users.create(gone);
    const tombstone = { ...gone, username: "", email: "", passwordHash: "", deletedAt: now() };
    assert.equal(await store.users.erase(gone.id, tombstone), true);
    assert.deepEqual(await store.users.get(gone.id), tombstone);
    assert.equal(await store.users.findByLogin(gone.username), null);
    assert.equal(await store.users.findByLogin(gone.email!), null);
    // Erasing twice frees nothing more, and two tombstones do not clash.
    assert.equal(await store.users.erase(gone.id, tombstone), true);
    const other = user();
    await store.users.create(other);
    assert.equal(await store.users.erase(other.id, { ...tombstone, id: other.id }), true);
    const again = { ...user(), username: gone.username, email: gone.email };
    await store.users.create(again);
    assert.equal((await store.users.findByLogin(gone.email!))?.id, again.id, "the email is free");
    assert.equal(await store.users.erase("missing", { ...tombstone, id: "missing" }), false);
    assert.equal(await store.users.get("missing"), null);
  });

  await t.step("users: a deletion is listed from its mark until the erase", async () => {
    const [marked, live] = [user(), user()];
    await store.users.create(marked);
    await store.users.create(live);
    const listed = async () => (await store.users.listDeletions()).map((u) => u.id);
    assert.equal((await listed()).includes(marked.id), false);
    const deletedAt = now();
    await store.users.update(marked.id, { deletedAt }, { generation: 0 });
    await store.users.update(live.id, { displayName: "Live" });
    const found = (await store.users.listDeletions()).find((u) => u.id === marked.id);
    assert.equal(found?.deletedAt, deletedAt, "listed with its record");
    assert.equal((await listed()).includes(live.id), false);
    // Other changes to a marked user (a token generation, say) keep it listed.
    await store.users.update(marked.id, { tokens: { current: 1 } });
    assert.equal((await listed()).includes(marked.id), true);
    const tombstone = { ...marked, username: "", email: "", passwordHash: "", deletedAt };
    await store.users.erase(marked.id, tombstone);
    assert.equal((await listed()).includes(marked.id), false);
  });
}
