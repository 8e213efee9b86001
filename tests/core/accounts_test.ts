/**
 * An account deleted while someone links it (befriends, blocks, adds to a chat)
 * ends with no link, as if the deletion came a moment later: the races that
 * requests cannot time, timed with a failpoint that runs the whole deletion
 * between the service's checks and its write. Real KV store, real core.
 */
import assert from "node:assert/strict";
import { Failpoint, setup } from "./_setup.ts";

// A core with Carol and Dave; `race()` makes the next call of `part.method` run
// Dave's deletion first.
async function racing(part: "users" | "chats", method: string) {
  const failpoint = new Failpoint(part, method);
  const s = await setup(4, { failpoint });
  const register = (name: string) =>
    s.core.auth.register({ username: name, email: `${name}@x.io`, password: "password1" });
  const [carol, dave] = [await register("carol"), await register("dave")];
  const principal = await s.core.auth.authenticate(dave.token);
  const race = () => failpoint.arm(() => s.core.accounts.delete(principal, "password1"));
  return { ...s, race, carol: carol.user.id, dave: dave.user.id };
}

Deno.test("an account deleted while it is linked ends with no link", async (t) => {
  await t.step("befriended", async () => {
    const s = await racing("users", "addFriendship");
    s.race();
    await s.core.users.addFriend(s.carol, s.dave);
    assert.deepEqual(await s.store.users.listFriends(s.carol), []);
    assert.deepEqual(await s.store.users.listFriends(s.dave), []);
    await s.close();
  });

  await t.step("blocked", async () => {
    const s = await racing("users", "setBlocked");
    s.race();
    await s.core.blocks.block(s.carol, s.dave);
    assert.deepEqual(await s.store.users.blocks(s.carol), { blocked: [], blockedBy: [] });
    await s.close();
  });

  await t.step("added to a group", async () => {
    const s = await racing("chats", "addMember");
    const { chat } = await s.core.chats.create(s.carol, {
      type: "group",
      participantIds: [s.alice],
    });
    s.race();
    const view = await s.core.groups.addParticipant(s.carol, chat.id, s.dave);
    assert.deepEqual(view.participantIds, [s.carol, s.alice]);
    assert.equal(await s.store.chats.getMembership(chat.id, s.dave), null);
    assert.deepEqual(await s.store.chats.listForUser(s.dave), []);
    await s.close();
  });

  await t.step("in a new group", async () => {
    const s = await racing("chats", "createGroup");
    s.race();
    const { chat } = await s.core.chats.create(s.carol, {
      type: "group",
      participantIds: [s.alice, s.dave],
    });
    assert.deepEqual(chat.participantIds, [s.carol, s.alice]);
    assert.deepEqual(await s.store.chats.listForUser(s.dave), []);
    await s.close();
  });

  await t.step("in a new direct chat, which takes no sends", async () => {
    const s = await racing("chats", "createDirect");
    await s.core.users.addFriend(s.carol, s.dave);
    s.race();
    const { chat } = await s.core.chats.create(s.carol, {
      type: "direct",
      participantIds: [s.dave],
    });
    assert.deepEqual(chat.participantIds, [s.carol]);
    assert.deepEqual(await s.store.chats.listForUser(s.dave), []);
    await assert.rejects(
      s.core.delivery.send(s.carol, { chatId: chat.id, content: "hi", clientMsgId: "c1" }),
      (error: Error & { details?: unknown }) => {
        assert.deepEqual(error.details, { reason: "deleted" });
        return true;
      },
    );
    await s.close();
  });
});
