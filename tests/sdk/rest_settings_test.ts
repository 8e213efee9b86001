/**
 * The SDK's REST client on a user's own settings of a chat, against the real
 * server: muted for a while or until unmuted, archived, pinned, marked unread,
 * and its history cleared for them alone; bad values are refused.
 * @module
 */
import assert from "node:assert/strict";
import { until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { partners, refused } from "./_helpers.ts";

Deno.test("sdk rest: a user's own settings of a chat", async (t) => {
  const server = await startTestServer();
  const { aliceRest, bobRest, chat, bobClient } = await partners(server.url);
  try {
    await until("bob connected", () => bobClient.connected);
    await bobClient.send(chat.id, "hi");
    await t.step(
      "a user mutes a chat for a while, or until unmuting, archives, pins and marks it",
      async () => {
        const end = new Date(Date.now() + 3_600_000);
        const muted = (await bobRest.muteChat(chat.id, { until: end })).muted;
        assert.deepEqual(muted, { until: end.toISOString() });
        assert.deepEqual((await bobRest.muteChat(chat.id)).muted, {});
        assert.equal((await bobRest.chat(chat.id)).muted !== undefined, true);
        assert.equal((await bobRest.unmuteChat(chat.id)).muted, undefined);
        const past = new Date(Date.now() - 1000);
        await assert.rejects(
          bobRest.muteChat(chat.id, { until: past }),
          refused("invalid_payload"),
        );
        assert.equal((await bobRest.archiveChat(chat.id)).archived, true);
        assert.equal((await bobRest.archiveChat(chat.id, false)).archived, undefined);
        assert.equal((await bobRest.pinChat(chat.id)).pinned, true);
        assert.equal((await bobRest.pinChat(chat.id, false)).pinned, undefined);
        assert.equal((await bobRest.markUnread(chat.id)).markedUnread, true);
        assert.equal((await bobRest.markUnread(chat.id, false)).markedUnread, undefined);
      },
    );

    await t.step("a user clears a chat's history for themselves", async () => {
      const [newest] = (await bobRest.history(chat.id)).messages;
      const cleared = await bobRest.clearChat(chat.id, newest.seq);
      assert.deepEqual([cleared.clearedSeq, cleared.unreadCount], [newest.seq, 0]);
      assert.deepEqual((await bobRest.history(chat.id)).messages, []);
      assert.equal((await aliceRest.history(chat.id)).messages[0].id, newest.id, "hers stays");
      await assert.rejects(bobRest.clearChat(chat.id, 0), refused("invalid_payload"));
    });
  } finally {
    bobClient.close();
    await server.close();
  }
});
