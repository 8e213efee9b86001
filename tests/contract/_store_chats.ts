/**
 * The store contract's chat steps: participants keep the order they joined in
 * (the first owns a group), pins are the latest first and bounded, and a
 * profile's fields are set and removed one by one; pins and profile changes
 * neither lose the sends that race them nor are lost to them; each change, and
 * no send, counts in the chat's version; racing adds stop at the bound.
 * @module
 */
import assert from "node:assert/strict";
import { ConflictError, ValidationError } from "../../src/core/errors.ts";
import type { Store } from "../../src/core/ports.ts";
import type { UserRecord } from "../../src/core/types.ts";
import { chat, draft } from "./_store_fixtures.ts";

// Room for every add of these steps but the one that tests the bound.
const room = { max: 10 };

/** Runs the chat steps with three users of the store. */
export async function chatSteps(
  t: Deno.TestContext,
  store: Store,
  [a, b, c]: UserRecord[],
): Promise<void> {
  await t.step("chats: participants stay in the order they joined", async () => {
    // The first of them owns a group (`ownerOf`): the order must survive changes.
    const club = await store.chats.createGroup(chat("group", [a.id, b.id, c.id]));
    assert.deepEqual((await store.chats.removeMember(club.id, a.id))?.participantIds, [
      b.id,
      c.id,
    ]);
    const back = await store.chats.addMember(club.id, a.id, room);
    assert.deepEqual([back?.added, back?.chat.participantIds], [true, [b.id, c.id, a.id]]);
    const again = await store.chats.addMember(club.id, b.id, room);
    assert.deepEqual(
      [again?.added, again?.chat.participantIds],
      [false, [b.id, c.id, a.id]],
      "adding a member again moves no one",
    );
    assert.deepEqual((await store.chats.get(club.id))?.participantIds, [b.id, c.id, a.id]);
    assert.equal(await store.chats.addMember("missing", a.id, room), null);
  });

  await t.step("chats: of racing adds of one user, one adds them", async () => {
    const club = await store.chats.createGroup(chat("group", [a.id, b.id]));
    const adds = await Promise.all(
      Array.from({ length: 4 }, () => store.chats.addMember(club.id, c.id, room)),
    );
    assert.deepEqual(adds.map((r) => r?.added).sort(), [false, false, false, true]);
    const after = await store.chats.get(club.id);
    assert.deepEqual([after?.participantIds, after?.version], [[a.id, b.id, c.id], 1]);
    assert.ok(await store.chats.getMembership(club.id, c.id), "with their membership");
  });

  await t.step("chats: racing adds fill a group to its bound and no further", async () => {
    const club = await store.chats.createGroup(chat("group", [a.id]));
    const adds = await Promise.allSettled(
      [b.id, c.id].map((id) => store.chats.addMember(club.id, id, { max: 2 })),
    );
    const refused = adds.flatMap((add) => add.status === "rejected" ? [add.reason] : []);
    assert.equal(refused.length, 1, "one add fills the group, the other is refused");
    assert.ok(refused[0] instanceof ValidationError);
    assert.match(refused[0].message, /at most 2 participants/);
    const after = await store.chats.get(club.id);
    assert.deepEqual([after?.participantIds.length, after?.version], [2, 1]);
    const out = after?.participantIds.includes(b.id) ? c.id : b.id;
    assert.equal(await store.chats.getMembership(club.id, out), null, "no membership left behind");
    const again = await store.chats.addMember(club.id, a.id, { max: 2 });
    assert.equal(again?.added, false, "a member already there is no add past the bound");
  });

  await t.step("chats: pins, latest first, bounded, and kept beside racing sends", async () => {
    const club = await store.chats.createGroup(chat("group", [a.id, b.id]));
    const pin = (id: string, pinned = true) =>
      store.chats.setPinned(club.id, id, { pinned, max: 3 });
    const sends = Array.from({ length: 10 }, () => store.messages.append(draft(club.id, a.id)));
    await Promise.all([...sends, pin("m1"), pin("m2")]);
    const raced = await store.chats.get(club.id);
    assert.equal(raced?.lastSeq, 10, "no send lost to a pin");
    assert.deepEqual(raced?.pinned?.slice().sort(), ["m1", "m2"], "no pin lost to a send");
    assert.deepEqual((await pin("m3"))?.pinned, ["m3", ...raced!.pinned!]);
    assert.deepEqual((await pin("m3"))?.pinned?.length, 3, "pinning again changes nothing");
    await assert.rejects(pin("m4"), ConflictError);
    assert.deepEqual((await pin("m1", false))?.pinned?.includes("m1"), false);
    assert.equal((await pin("m1", false))?.pinned?.length, 2, "unpinning again neither");
    await pin("m2", false);
    await pin("m3", false);
    assert.equal((await store.chats.get(club.id))?.pinned, undefined, "none left: no field");
    assert.equal(await store.chats.setPinned("missing", "m1", { pinned: true, max: 3 }), null);
  });

  await t.step(
    "chats: a profile change keeps the sends around it, and they keep it",
    async () => {
      // Sends rewrite the chat record (lastSeq); a change must not lose one, nor be lost.
      const club = await store.chats.createGroup({ ...chat("group", [a.id, b.id]), name: "c" });
      for (let i = 0; i < 10; i++) {
        const [renamed] = await Promise.all([
          store.chats.setProfile(club.id, { name: `name ${i}`, description: `about ${i}` }),
          store.messages.append(draft(club.id, a.id)),
          store.messages.append(draft(club.id, b.id)),
        ]);
        assert.deepEqual([renamed?.name, renamed?.description], [`name ${i}`, `about ${i}`]);
      }
      await store.messages.append(draft(club.id, b.id));
      const after = await store.chats.get(club.id);
      assert.deepEqual([after?.name, after?.description], ["name 9", "about 9"]);
      assert.equal(after?.lastSeq, 21);
      assert.deepEqual(after?.participantIds, [a.id, b.id]);
      assert.equal(await store.chats.setProfile("missing", { name: "x" }), null);
    },
  );

  await t.step("chats: each change counts one in the version, and sends none", async () => {
    const club = await store.chats.createGroup(chat("group", [a.id, b.id]));
    assert.equal(club.version ?? 0, 0);
    const changes = [
      () => store.chats.setProfile(club.id, { name: "renamed" }),
      async () => (await store.chats.addMember(club.id, c.id, room))?.chat,
      () => store.chats.setPinned(club.id, "m1", { pinned: true, max: 3 }),
      () => store.chats.setAdmin(club.id, b.id, true),
      () => store.chats.setPermissions(club.id, { add: "admins" }),
      () => store.chats.setTimer(club.id, 60),
      () => store.chats.setOwner(club.id, { from: a.id, to: b.id }),
      () => store.chats.removeMember(club.id, c.id),
    ];
    for (const [i, change] of changes.entries()) {
      assert.equal((await change())?.version, i + 1, `change ${i}`);
    }
    // Neither a change that was already made nor a send moves it.
    await store.chats.addMember(club.id, b.id, room);
    await store.chats.setProfile(club.id, { name: "renamed", description: null });
    await store.chats.setPinned(club.id, "m1", { pinned: true, max: 3 });
    await store.chats.setAdmin(club.id, c.id, true);
    await store.chats.setPermissions(club.id, { add: "admins" });
    await store.chats.removeMember(club.id, c.id);
    assert.equal((await store.chats.setTimer(club.id, 60))?.messageTimer, 60);
    await store.messages.append(draft(club.id, a.id));
    assert.equal((await store.chats.get(club.id))?.version, changes.length);
    // Racing changes each count, beside racing sends.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => [
        store.chats.setProfile(club.id, { name: `race ${i}` }),
        store.messages.append(draft(club.id, b.id)),
      ]).flat(),
    );
    const raced = await store.chats.get(club.id);
    assert.deepEqual([raced?.version, raced?.lastSeq], [changes.length + 10, 11]);
    // A block counts in its direct chat; blocking again, or unblocking again, does not.
    const { chat: pair } = await store.chats.createDirect(chat("direct", [a.id, c.id]));
    const block = async (blocked: boolean) =>
      (await store.users.setBlocked(a.id, c.id, blocked))?.version ?? 0;
    const at = pair.version ?? 0;
    assert.deepEqual([await block(true), await block(true)], [at + 1, at + 1]);
    assert.deepEqual([await block(false), await block(false)], [at + 2, at + 2]);
    assert.equal((await store.chats.get(pair.id))?.blockedBy, undefined);
  });

  await t.step("chats: a profile's fields are set, kept and removed one by one", async () => {
    const club = await store.chats.createGroup({ ...chat("group", [a.id, b.id]), name: "c" });
    const avatar = "https://example.com/club.png";
    const set = await store.chats.setProfile(club.id, { description: "d", avatar });
    assert.deepEqual([set?.name, set?.description, set?.avatar], ["c", "d", avatar]);
    const kept = await store.chats.setProfile(club.id, { name: "c2" });
    assert.deepEqual([kept?.name, kept?.description, kept?.avatar], ["c2", "d", avatar]);
    const removed = await store.chats.setProfile(club.id, { description: null });
    assert.equal(removed?.description, undefined);
    assert.equal("description" in (await store.chats.get(club.id))!, false, "no field left");
    assert.equal((await store.chats.get(club.id))?.avatar, avatar);
    await store.chats.setProfile(club.id, { avatar: null, description: null });
    const bare = await store.chats.get(club.id);
    assert.deepEqual([bare?.name, "avatar" in bare!, "description" in bare!], [
      "c2",
      false,
      false,
    ]);
  });
}
