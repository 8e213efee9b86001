/**
 * The store contract's steps on a sender's messages: every message a user
 * sent, in every chat, a deleted one's tombstone too, each once over pages of
 * any size, and nobody else's.
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../src/core/ports.ts";
import { chat, draft, user } from "./_store_fixtures.ts";

/** Runs the steps on users and chats of their own. */
export async function bySenderSteps(t: Deno.TestContext, store: Store): Promise<void> {
  const [a, b] = [user(), user()];
  for (const u of [a, b]) await store.users.create(u);
  const one = await store.chats.createGroup(chat("group", [a.id, b.id]));
  const two = await store.chats.createGroup(chat("group", [a.id, b.id]));

  await t.step("by sender: every message of theirs, in every chat, page by page", async () => {
    const sent: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { message } = await store.messages.append(draft(i % 2 ? one.id : two.id, a.id));
      sent.push(message.id);
      await store.messages.append(draft(one.id, b.id));
    }
    await store.messages.updateMessage(sent[0], (m) => ({ ...m, content: "", deleted: true }));
    for (const limit of [3, 7, 50]) {
      const read: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.messages.listBySender(a.id, { cursor, limit });
        assert.ok(page.messages.length <= limit);
        read.push(...page.messages.map((m) => m.id));
        assert.ok(page.messages.every((m) => m.senderId === a.id), "only hers");
        cursor = page.cursor ?? undefined;
      } while (cursor);
      assert.deepEqual(read.sort(), [...sent].sort(), `pages of ${limit}`);
    }
    const all = await store.messages.listBySender(a.id, { limit: 50 });
    assert.equal(all.messages.find((m) => m.id === sent[0])?.deleted, true, "the tombstone");
    assert.equal(all.messages.find((m) => m.id === sent[1])?.content, "hi");
    assert.deepEqual(await store.messages.listBySender("nobody", { limit: 5 }), {
      messages: [],
      cursor: null,
    });
  });
}
