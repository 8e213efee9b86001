/**
 * Open chats through the SDK against the real server: opening tells who has the
 * chat open, as `activeUsers` events do after each change; a chat stays open
 * across a restart of the server, joined again on reconnect; one opened while
 * disconnected is joined on connect; closing it shows the user leave; a chat
 * the user is not in is refused.
 * @module
 */
import assert from "node:assert/strict";
import { type ChatActiveUsersEvent, ChatClient } from "../../src/sdk/mod.ts";
import { directChat, fastRetry, registerAll, until } from "../_helpers/client.ts";
import { freePort, startTestServer } from "../_helpers/server.ts";
import { refused } from "./_helpers.ts";

Deno.test("sdk: open chats, and who has them open", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "sdk-open-" });
  const env = { DATA_DIR: dataDir, PORT: String(freePort()) };
  let server = await startTestServer(env);
  const [alice, bob] = await registerAll(server.url, "alice", "bob");
  const chatId = await directChat(server.url, alice, bob);
  const client = (token: string) => new ChatClient({ url: server.url, token, socket: fastRetry });
  const [a, b] = [client(alice.token).connect(), client(bob.token).connect()];
  const aliceSaw: ChatActiveUsersEvent[] = [];
  a.on("activeUsers", (e) => void aliceSaw.push(e));
  const lastSeen = () => aliceSaw.at(-1)?.activeUserIds.toSorted();
  const both = [alice.user.id, bob.user.id].sort();
  await until("connected", () => a.connected && b.connected);
  try {
    await t.step("opening tells who has the chat open, and so do changes", async () => {
      assert.deepEqual(await a.openChat(chatId), [alice.user.id]);
      assert.deepEqual(aliceSaw, [{ chatId, activeUserIds: [alice.user.id] }]);
      assert.deepEqual((await b.openChat(chatId)).sort(), both);
      await until("alice told", () => lastSeen()?.length === 2);
      assert.deepEqual(lastSeen(), both);
    });

    await t.step("a chat stays open across a restart of the server", async () => {
      await server.close();
      await until("dropped", () => !a.connected && !b.connected);
      aliceSaw.length = 0;
      server = await startTestServer(env);
      await until("reconnected", () => a.connected && b.connected, 15_000);
      await until("both open again", () => lastSeen()?.length === 2, 15_000);
      assert.ok(aliceSaw.every((e) => e.chatId === chatId));
    });

    await t.step("closing shows the user leave", async () => {
      await b.closeChat(chatId);
      await until("bob gone", () => lastSeen()?.length === 1);
      assert.deepEqual(lastSeen(), [alice.user.id]);
    });

    await t.step("opened while disconnected: joined on connect", async () => {
      const late = client(bob.token);
      try {
        assert.deepEqual(await late.openChat(chatId), [], "none known yet");
        late.connect();
        await until("bob open again", () => lastSeen()?.length === 2);
      } finally {
        late.close();
      }
    });

    await t.step("a chat the user is not in is refused", async () => {
      await assert.rejects(a.openChat(crypto.randomUUID()), refused("not_found"));
    });
  } finally {
    a.close();
    b.close();
    await server.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
