/**
 * The store contract's role steps: a group's admins in the order they were
 * made, a handover of the group, roles leaving with their member (an owner's
 * first admin succeeds them; an owner who comes back does not own it again), a
 * group's permissions set one by one, and none of it losing a send made
 * at the same moment, or a send losing it.
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../src/core/ports.ts";
import { chat, draft, user } from "./_store_fixtures.ts";

/** Runs the role steps on users of their own. */
export async function roleSteps(t: Deno.TestContext, store: Store): Promise<void> {
  const [a, b, c, d] = [user(), user(), user(), user()];
  for (const u of [a, b, c, d]) await store.users.create(u);

  await t.step("roles: admins in the order made, idempotent, members only", async () => {
    const club = await store.chats.createGroup(chat("group", [a.id, b.id, c.id]));
    const set = (id: string, admin = true) => store.chats.setAdmin(club.id, id, admin);
    const sends = Array.from({ length: 10 }, () => store.messages.append(draft(club.id, a.id)));
    await Promise.all([...sends, set(c.id), set(b.id)]);
    const raced = await store.chats.get(club.id);
    assert.equal(raced?.lastSeq, 10, "no send lost to a role");
    assert.deepEqual(raced?.admins?.slice().sort(), [b.id, c.id].sort(), "no role lost to a send");
    assert.deepEqual((await set(b.id))?.admins, raced?.admins, "making one again changes nothing");
    assert.deepEqual((await set(d.id))?.admins, raced?.admins, "a non-member is not made one");
    assert.deepEqual((await set(c.id, false))?.admins, [b.id]);
    assert.deepEqual((await set(c.id, false))?.admins, [b.id], "unmaking one again neither");
    assert.deepEqual((await set(c.id))?.admins, [b.id, c.id], "made again: last");
    await set(b.id, false);
    await set(c.id, false);
    assert.equal((await store.chats.get(club.id))?.admins, undefined, "none left: no field");
    assert.equal(await store.chats.setAdmin("missing", a.id, true), null);
  });

  await t.step("roles: a handover names the owner and makes the last one an admin", async () => {
    const club = await store.chats.createGroup(chat("group", [a.id, b.id, c.id]));
    await store.chats.setAdmin(club.id, b.id, true);
    await store.chats.setAdmin(club.id, c.id, true);
    const handed = await store.chats.setOwner(club.id, { from: a.id, to: b.id });
    assert.equal(handed?.ownerId, b.id);
    assert.deepEqual(handed?.admins, [c.id, a.id], "the new owner is no admin, the old one is");
    assert.deepEqual(await store.chats.get(club.id), handed);
    const refused = await store.chats.setOwner(club.id, { from: b.id, to: d.id });
    assert.deepEqual(refused, handed, "not to a non-member");
    assert.equal(await store.chats.setOwner("missing", { from: a.id, to: b.id }), null);
  });

  await t.step("roles: they leave with the member; the first admin succeeds an owner", async () => {
    const club = await store.chats.createGroup(chat("group", [a.id, b.id, c.id, d.id]));
    await store.chats.setAdmin(club.id, c.id, true);
    await store.chats.setOwner(club.id, { from: a.id, to: b.id });
    const sends = Array.from({ length: 10 }, () => store.messages.append(draft(club.id, a.id)));
    const [left] = await Promise.all([store.chats.removeMember(club.id, b.id), ...sends]);
    assert.equal(left?.ownerId, c.id, "the owner left: their first admin owns the group");
    assert.deepEqual(left?.admins, [a.id]);
    assert.deepEqual(left?.participantIds, [a.id, c.id, d.id]);
    const back = await store.chats.addMember(club.id, b.id, { max: 10 });
    assert.equal(back?.chat.ownerId, c.id, "coming back does not give the group back");
    const admin = await store.chats.removeMember(club.id, a.id);
    assert.deepEqual([admin?.ownerId, admin?.admins], [c.id, undefined], "an admin leaves");
    const last = await store.chats.removeMember(club.id, c.id);
    assert.deepEqual([last?.ownerId, last?.admins], [undefined, undefined], "no admin to succeed");
    assert.deepEqual(last?.participantIds, [d.id, b.id], "so the longest-standing one owns it");
    assert.equal((await store.chats.get(club.id))?.lastSeq, 10, "no send lost to a removal");
  });

  await t.step("roles: an owner nobody named is the first participant", async () => {
    const club = await store.chats.createGroup(chat("group", [a.id, b.id, c.id]));
    const made = await store.chats.setAdmin(club.id, b.id, true);
    assert.equal(made?.ownerId, undefined, "making an admin names no owner");
    const left = await store.chats.removeMember(club.id, a.id);
    assert.deepEqual([left?.ownerId, left?.admins], [b.id, undefined], "the creator's admin");
  });

  await t.step("permissions: each set as named, the others kept, beside racing sends", async () => {
    const club = await store.chats.createGroup(chat("group", [a.id, b.id]));
    assert.equal(club.permissions, undefined, "a new group sets none");
    const sends = Array.from({ length: 10 }, () => store.messages.append(draft(club.id, a.id)));
    await Promise.all([
      ...sends,
      store.chats.setPermissions(club.id, { add: "admins" }),
      store.chats.setPermissions(club.id, { edit: "admins" }),
    ]);
    const raced = await store.chats.get(club.id);
    assert.equal(raced?.lastSeq, 10, "no send lost to a permission");
    assert.deepEqual(raced?.permissions, { add: "admins", edit: "admins" }, "nor one to another");
    const back = await store.chats.setPermissions(club.id, { add: "members" });
    assert.deepEqual(back?.permissions, { add: "members", edit: "admins" });
    assert.deepEqual(await store.chats.get(club.id), back);
    assert.equal(await store.chats.setPermissions("missing", { add: "admins" }), null);
  });
}
