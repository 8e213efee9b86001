/**
 * Two nodes writing one Deno KV file at once: each commit takes SQLite's lock on
 * the file, and one that finds the other node holding it waits and tries again,
 * so no write fails for it (Deno KV answers "database is locked" at once; before
 * the handle waited, a tenth to a quarter of this test's requests failed with `internal`).
 */
import assert from "node:assert/strict";
import { api, directChat, register, type TestUser } from "../_helpers/client.ts";
import { servicesUp, twoNodes } from "./_two_nodes.ts";

Deno.test({
  name: "two nodes write one KV file at once without a locked write failing",
  ignore: !servicesUp,
  fn: async () => {
    const { a, b, dataDir } = await twoNodes();
    try {
      const users = await Promise.all([a, a, b, b].map((node) => register(node.url)));
      const chats = [
        { url: a.url, chatId: await directChat(a.url, users[0], users[1]), by: users[0] },
        { url: b.url, chatId: await directChat(b.url, users[2], users[3]), by: users[2] },
      ];
      // Each node sends, edits and reacts in its own chat, 20 requests at a time: sends share
      // group commits within a node, edits and reactions commit one by one.
      const statuses: number[] = [];
      const work = chats.map(async ({ url, chatId, by }, n) => {
        const other: TestUser = users[n * 2 + 1];
        for (let round = 0; round < 15; round++) {
          const sends = await Promise.all(
            Array.from({ length: 10 }, (_, i) =>
              api(url, "POST", `/api/chats/${chatId}/messages`, {
                token: by.token,
                body: { content: `m${round}.${i}`, clientMsgId: `${n}.${round}.${i}` },
              })),
          );
          statuses.push(...sends.map((s) => s.status));
          const ids = sends.filter((s) => s.status === 201).map((s) => s.body.message.id);
          const changes = await Promise.all(ids.flatMap((id) => [
            api(url, "PUT", `/api/messages/${id}`, {
              token: by.token,
              body: { content: "edited" },
            }),
            api(url, "PUT", `/api/messages/${id}/star`, { token: other.token }),
          ]));
          statuses.push(...changes.map((s) => s.status));
        }
      });
      await Promise.all(work);
      const failed = statuses.filter((status) => status >= 300);
      assert.deepEqual(
        failed,
        [],
        `${failed.length} of ${statuses.length} requests failed: ${[...new Set(failed)]}`,
      );
      assert.equal(statuses.length, 2 * 15 * 30);
    } finally {
      await Promise.all([a.kill(), b.kill()]);
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
