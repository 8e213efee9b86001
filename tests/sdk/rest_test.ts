/**
 * The SDK's REST client on a group's participants and name, against the real
 * server: add, remove, leave, rename, roles, pins and stars answer with the group
 * as it is now (and search finds its messages), refusals arrive as
 * `ChatClientError` codes, and the `participants` event reaches the members and
 * the user removed. People are in `rest_people_test.ts`, a user's own settings
 * of a chat in `rest_settings_test.ts`.
 * @module
 */
import assert from "node:assert/strict";
import { ChatClient, type ChatUpdatedEvent, RestClient } from "../../src/sdk/mod.ts";
import { registerAll, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { refused } from "./_helpers.ts";

Deno.test("sdk rest: add, remove and leave a group's participants, and rename it", async (t) => {
  const server = await startTestServer();
  const [alice, bob, carol] = await registerAll(server.url, "alice", "bob", "carol");
  const rest = (user: typeof alice) => new RestClient(server.url, user.token);
  const chatId = (await rest(alice).createGroup("club", [bob.user.id])).id;
  // Carol's device is connected before she is added: the event is what tells it.
  const carolClient = new ChatClient({ url: server.url, token: carol.token }).connect();
  const aliceClient = new ChatClient({ url: server.url, token: alice.token }).connect();
  const carolSaw: ChatUpdatedEvent[] = [];
  const aliceSaw: ChatUpdatedEvent[] = [];
  carolClient.on("participants", (e) => void carolSaw.push(e));
  aliceClient.on("participants", (e) => void aliceSaw.push(e));
  await until("both connected", () => carolClient.connected && aliceClient.connected);
  const ids = (...users: (typeof alice)[]) => users.map((u) => u.user.id);

  try {
    await t.step("a member adds someone, and the new member hears of it", async () => {
      const chat = await rest(bob).addParticipant(chatId, carol.user.id);
      assert.deepEqual(chat.participantIds, ids(alice, bob, carol));
      assert.deepEqual([chat.ownerId, chat.version], [alice.user.id, 1], "the answer as the event");
      await until("carol's event", () => carolSaw.length === 1);
      assert.deepEqual(carolSaw[0], {
        chatId,
        participantIds: ids(alice, bob, carol),
        name: "club",
        ownerId: alice.user.id,
        adminIds: [],
        permissions: { add: "members", edit: "members" },
        version: 1,
      });
      const sent = await carolClient.send(chatId, "hello club");
      assert.equal(sent.seq, 1, "she writes to it at once");
    });

    await t.step("a member cannot remove another; nothing changes", async () => {
      const removal = rest(bob).removeParticipant(chatId, carol.user.id);
      await assert.rejects(removal, refused("forbidden"));
      await assert.rejects(rest(bob).addParticipant(chatId, "nobody"), refused("not_found"));
      const chats = await rest(carol).chats();
      assert.deepEqual(chats.find((c) => c.id === chatId)?.participantIds, ids(alice, bob, carol));
    });

    await t.step("a member renames the group; one chat reads as the list shows it", async () => {
      const seen = aliceSaw.length;
      const renamed = await rest(carol).renameChat(chatId, "Readers");
      assert.equal(renamed.name, "Readers");
      const described = await rest(carol).updateGroup(chatId, { description: "books" });
      assert.deepEqual([described.name, described.description], ["Readers", "books"]);
      const bare = await rest(carol).updateGroup(chatId, { description: null });
      assert.equal(bare.description, undefined);
      assert.equal(renamed.lastMessage?.content, "hello club");
      await until("alice's event", () => aliceSaw.length > seen);
      assert.equal(aliceSaw.at(-1)!.name, "Readers");
      const one = await rest(bob).chat(chatId);
      assert.deepEqual(one, (await rest(bob).chats()).find((c) => c.id === chatId));
      assert.equal(one.unreadCount, 1);
      await assert.rejects(rest(bob).renameChat(chatId, " "), refused("invalid_payload"));
      await assert.rejects(rest(bob).chat("nobody"), refused("not_found"));
    });

    await t.step("a member searches the group's messages", async () => {
      const found = await rest(bob).search(chatId, "HELLO");
      assert.deepEqual(found.messages.map((m) => m.content), ["hello club"]);
      assert.equal(found.nextBeforeSeq, null);
      const none = await rest(bob).search(chatId, "hello", { beforeSeq: 1 });
      assert.deepEqual(none.messages, [], "nothing below the first message");
      await assert.rejects(rest(bob).search(chatId, " "), refused("invalid_payload"));
    });

    await t.step("a member pins a message, and the others hear of it", async () => {
      const [message] = (await rest(bob).history(chatId)).messages;
      const seen = aliceSaw.length;
      assert.deepEqual((await rest(bob).pin(message.id)).pinnedMessageIds, [message.id]);
      await until("alice's event", () => aliceSaw.length > seen);
      assert.deepEqual(aliceSaw.at(-1)!.pinnedMessageIds, [message.id]);
      assert.deepEqual((await rest(alice).pins(chatId)).map((m) => m.content), ["hello club"]);
      assert.equal((await rest(alice).unpin(message.id)).pinnedMessageIds, undefined);
      await assert.rejects(rest(alice).pin("nobody"), refused("not_found"));
    });

    await t.step("a member sets the timer of disappearing messages, heard by all", async () => {
      const seen = aliceSaw.length;
      assert.equal((await rest(bob).setMessageTimer(chatId, 86_400)).messageTimer, 86_400);
      await until("alice's event", () => aliceSaw.length > seen);
      assert.equal(aliceSaw.at(-1)!.messageTimer, 86_400);
      const client = new ChatClient({ url: server.url, token: bob.token }).connect();
      try {
        const sent = await client.send(chatId, "for a day");
        assert.equal(Date.parse(sent.expiresAt!) - Date.parse(sent.createdAt), 86_400_000);
      } finally {
        client.close();
      }
      assert.equal((await rest(alice).setMessageTimer(chatId, null)).messageTimer, undefined);
      await assert.rejects(rest(alice).setMessageTimer(chatId, 1), refused("invalid_payload"));
    });

    await t.step("a member stars a message, lists and unstars it", async () => {
      const [message] = (await rest(bob).history(chatId)).messages;
      const star = await rest(bob).star(message.id);
      assert.equal(star.message.id, message.id);
      const page = await rest(bob).starred({ limit: 10 });
      assert.deepEqual(page.stars, [star]);
      assert.equal(page.nextCursor, null);
      await rest(bob).unstar(message.id);
      assert.deepEqual((await rest(bob).starred()).stars, []);
      await assert.rejects(rest(bob).star("nobody"), refused("not_found"));
    });

    await t.step(
      "the owner names an admin, hands the group over and back, keeps edits",
      async () => {
        const seen = carolSaw.length;
        assert.deepEqual(
          (await rest(alice).setAdmin(chatId, bob.user.id, true)).adminIds,
          ids(bob),
        );
        await until("carol's event", () => carolSaw.length > seen);
        assert.deepEqual(carolSaw.at(-1)!.adminIds, ids(bob));
        await assert.rejects(rest(bob).setAdmin(chatId, carol.user.id, true), refused("forbidden"));
        const handed = await rest(alice).handOver(chatId, bob.user.id);
        assert.deepEqual([handed.ownerId, handed.adminIds], [bob.user.id, ids(alice)]);
        await assert.rejects(rest(alice).handOver(chatId, alice.user.id), refused("forbidden"));
        await rest(bob).handOver(chatId, alice.user.id);
        const stepped = await rest(bob).setAdmin(chatId, bob.user.id, false);
        assert.deepEqual([stepped.ownerId, stepped.adminIds], [alice.user.id, []]);
        const kept = await rest(alice).setPermissions(chatId, { edit: "admins" });
        assert.deepEqual(kept.permissions, { add: "members", edit: "admins" });
        await assert.rejects(rest(carol).renameChat(chatId, "mine"), refused("forbidden"));
        await rest(alice).setPermissions(chatId, { edit: "members" });
      },
    );

    await t.step("the owner removes a member, who hears of it and loses access", async () => {
      const seen = carolSaw.length;
      const chat = await rest(alice).removeParticipant(chatId, carol.user.id);
      assert.deepEqual(chat.participantIds, ids(alice, bob));
      await until("carol's removal", () => carolSaw.length > seen);
      assert.ok(!carolSaw.at(-1)!.participantIds.includes(carol.user.id));
      await assert.rejects(rest(carol).history(chatId), refused("forbidden"));
    });

    await t.step("a removed member comes back by an invite link, until it is revoked", async () => {
      const made = await rest(alice).createInvite(chatId);
      assert.deepEqual(await rest(bob).invite(chatId), made);
      const preview = await rest(carol).previewInvite(made.code);
      assert.deepEqual([preview.chatId, preview.memberCount, preview.member], [chatId, 2, false]);
      const joined = await rest(carol).joinByInvite(made.code);
      assert.deepEqual(joined.participantIds, ids(alice, bob, carol));
      await rest(alice).revokeInvite(chatId);
      await assert.rejects(rest(bob).invite(chatId), refused("not_found"));
      await assert.rejects(rest(carol).previewInvite(made.code), refused("not_found"));
      const seen = aliceSaw.length;
      await rest(carol).leaveChat(chatId);
      await until("alice heard carol leave", () => aliceSaw.length > seen);
    });

    await t.step("a member leaves; the others hear of it", async () => {
      const seen = aliceSaw.length;
      const { version } = await rest(alice).chat(chatId);
      await rest(bob).leaveChat(chatId);
      assert.equal((await rest(bob).chats()).some((c) => c.id === chatId), false);
      await until("alice's event", () => aliceSaw.length > seen);
      assert.deepEqual(aliceSaw.at(-1), {
        chatId,
        participantIds: ids(alice),
        name: "Readers",
        ownerId: alice.user.id,
        adminIds: [],
        permissions: { add: "members", edit: "members" },
        version: version + 1,
      });
      await assert.rejects(rest(bob).leaveChat(chatId), refused("forbidden"), "not in it anymore");
    });

    await t.step("a direct chat has no participants to change", async () => {
      await rest(alice).addFriend(bob.user.id);
      const { id } = await rest(alice).directChat(bob.user.id);
      await assert.rejects(
        rest(alice).addParticipant(id, carol.user.id),
        refused("invalid_payload"),
      );
    });
  } finally {
    carolClient.close();
    aliceClient.close();
    await server.close();
  }
});
