/**
 * The web page's message store against the real server, through the SDK: a
 * chat's changes made while the page was away are fetched page by page and
 * applied once; a stale event or a late copy never undoes a newer change; older
 * pages load on request, and reopening a chat neither forgets them nor skips
 * their changes.
 * @module
 */
import assert from "node:assert/strict";
import { ChatClient, type MessageView, RestClient } from "../../src/sdk/mod.ts";
import { directChat, registerAll } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { Messages } from "../../web/messages.ts";

// Alice sends with a client, Bob's page holds the messages, read over his REST client.
async function setUp() {
  // Hundreds of sends in a row: above the default rate limit of 50 a minute.
  const server = await startTestServer({ RATE_LIMIT_MESSAGES: "1000" });
  const [alice, bob] = await registerAll(server.url, "alice", "bob");
  const chatId = await directChat(server.url, alice, bob);
  const client = new ChatClient({ url: server.url, token: alice.token }).connect();
  const bobRest = new RestClient(server.url, bob.token);
  const messages = new Messages({
    history: (id, options) => bobRest.history(id, options),
    changes: (id, after) => bobRest.changes(id, after),
  });
  return { server, chatId, client, messages };
}

Deno.test("web messages: catch-up pages through changes, and newer changes win", async (t) => {
  const { server, chatId, client, messages } = await setUp();
  try {
    // More changed messages than one page of changes (50) holds.
    const sent: MessageView[] = [];
    for (let i = 1; i <= 60; i++) sent.push(await client.send(chatId, `m${i}`));
    await messages.load(chatId);
    assert.equal(messages.of(chatId).length, 60);

    await t.step("changes made meanwhile arrive over two pages, once", async () => {
      for (const m of sent) await client.react(m.id, "👍");
      await client.edit(sent[1].id, "edited");
      assert.deepEqual(await messages.catchUp(), [chatId]);
      const held = messages.of(chatId);
      assert.ok(held.every((m) => m.reactions["👍"]?.length === 1), "every reaction applied");
      assert.equal(held[1].content, "edited");
      assert.deepEqual(await messages.catchUp(), [], "nothing new: the cursor moved on");
    });

    await t.step("a stale event or an older copy does not undo a newer change", () => {
      const before = sent[1]; // as sent: no change yet
      const stale = { messageId: before.id, chatId, editedAt: new Date().toISOString() };
      assert.equal(
        messages.apply({ kind: "edited", ...stale, content: "stale", changeSeq: 1 }),
        false,
      );
      messages.remember(before);
      assert.equal(messages.find(chatId, before.id)!.content, "edited");
      assert.equal(
        messages.apply({ kind: "deleted", messageId: before.id, chatId, changeSeq: 1_000 }),
        true,
      );
      assert.equal(messages.find(chatId, before.id)!.deleted, true);
    });
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("web messages: a chat opens on its latest page; earlier pages load on request", async () => {
  const { server, chatId, client, messages } = await setUp();
  const seqs = () => messages.of(chatId).map((m) => m.seq);
  const range = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => from + i);
  try {
    const sent: MessageView[] = [];
    for (let i = 1; i <= 250; i++) sent.push(await client.send(chatId, `m${i}`));
    await messages.load(chatId);
    assert.deepEqual(seqs(), range(151, 250), "the latest page");
    assert.equal(messages.hasOlder(chatId), true);

    await messages.loadOlder(chatId);
    assert.deepEqual(seqs(), range(51, 250));
    await messages.loadOlder(chatId);
    assert.deepEqual(seqs(), range(1, 250), "down to the first message");
    assert.equal(messages.hasOlder(chatId), false);
    await messages.loadOlder(chatId);
    assert.equal(messages.of(chatId).length, 250, "nothing before the first");

    // Opening the chat again reads the latest page, and still holds the rest.
    await client.edit(sent[0].id, "first, edited");
    await messages.load(chatId);
    assert.equal(messages.hasOlder(chatId), false);
    assert.deepEqual(seqs(), range(1, 250));
    assert.deepEqual(await messages.catchUp(), [chatId], "an old message's change still arrives");
    assert.equal(messages.of(chatId)[0].content, "first, edited");
    assert.equal(messages.hasOlder("never-loaded"), false);
  } finally {
    client.close();
    await server.close();
  }
});
