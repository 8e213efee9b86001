/**
 * `GET /api/chats/:chatId/search` through real HTTP: matches with case and
 * accents folded, newest first, deleted messages left out, pages by
 * `nextBeforeSeq`; a call reads a bounded stretch of history and says where it
 * stopped; a member added later finds nothing from before; refusals; and a
 * limit of searches per user.
 */
import assert from "node:assert/strict";
import { api, directChat, registerAll, scrape } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST search: a chat's messages by their text", async (t) => {
  // Alice sends over a thousand messages by REST: the message and request limits are lifted.
  const lifted = { RATE_LIMIT_MESSAGES: "100000", API_REQUEST_LIMIT: "100000" };
  const server = await startTestServer({ ...lifted, SEARCH_LIMIT: "12" });
  const { url } = server;
  const [alice, bob, carol] = await registerAll(url, "alice", "bob", "carol");
  const chatId = await directChat(url, alice, bob);
  const send = async (content: string, chat = chatId, token = alice.token) =>
    (await api(url, "POST", `/api/chats/${chat}/messages`, { token, body: { content } })).body
      .message;
  const search = (query: string, token = bob.token, chat = chatId) =>
    api(url, "GET", `/api/chats/${chat}/search?${query}`, { token });
  const contents = (res: { body: { messages: { content: string }[] } }) =>
    res.body.messages.map((m) => m.content);

  try {
    await t.step("case and accents folded, newest first, deleted left out", async () => {
      await send("Café au lait?");
      await send("nothing to see");
      const secret = await send("the cafe secret");
      await send("The CAFE is closed");
      await api(url, "DELETE", `/api/messages/${secret.id}`, { token: alice.token });
      const res = await search("q=cafe");
      assert.equal(res.status, 200);
      assert.deepEqual(contents(res), ["The CAFE is closed", "Café au lait?"]);
      assert.equal(res.body.nextBeforeSeq, null, "the whole chat was read");
      assert.deepEqual(contents(await search("q=%20CAFÉ%20")), contents(res), "trimmed, folded");
      assert.deepEqual(contents(await search("q=tea")), []);
      assert.equal((await scrape(url))("chat_searches_total"), 3);
    });

    await t.step("pages by nextBeforeSeq", async () => {
      const first = await search("q=cafe&limit=1");
      assert.deepEqual(contents(first), ["The CAFE is closed"]);
      assert.equal(first.body.nextBeforeSeq, 4);
      const next = await search(`q=cafe&limit=1&beforeSeq=${first.body.nextBeforeSeq}`);
      assert.deepEqual(contents(next), ["Café au lait?"]);
      assert.equal(next.body.nextBeforeSeq, null);
    });

    await t.step("a call reads at most 1,000 messages and says where it stopped", async () => {
      for (let n = 0; n < 1_100; n++) await send(`filler ${n}`);
      const last = 4 + 1_100;
      const res = await search("q=lait");
      assert.deepEqual(contents(res), []);
      assert.equal(res.body.nextBeforeSeq, last - 1_000 + 1);
      const rest = await search(`q=lait&beforeSeq=${res.body.nextBeforeSeq}`);
      assert.deepEqual(contents(rest), ["Café au lait?"]);
      assert.equal(rest.body.nextBeforeSeq, null);
    });

    await t.step("a member added later finds nothing from before", async () => {
      const group = await api(url, "POST", "/api/chats", {
        token: alice.token,
        body: { type: "group", name: "club", participantIds: [bob.user.id] },
      });
      const groupId = group.body.chat.id;
      await send("early plans", groupId);
      await api(url, "POST", `/api/chats/${groupId}/participants`, {
        token: alice.token,
        body: { userId: carol.user.id },
      });
      await send("later plans", groupId);
      assert.deepEqual(contents(await search("q=plans", carol.token, groupId)), ["later plans"]);
      assert.deepEqual(contents(await search("q=plans", bob.token, groupId)), [
        "later plans",
        "early plans",
      ]);
    });

    await t.step("refusals", async () => {
      const refusals: [string, string, string, number, string][] = [
        ["q=", bob.token, chatId, 400, "invalid_payload"],
        [`q=${"x".repeat(101)}`, bob.token, chatId, 400, "invalid_payload"],
        ["q=cafe&limit=0", bob.token, chatId, 400, "invalid_payload"],
        ["q=cafe", carol.token, chatId, 403, "forbidden"],
        ["q=cafe", bob.token, "no-such-chat", 404, "not_found"],
        ["q=cafe", "", chatId, 401, "unauthorized"],
      ];
      for (const [query, token, chat, status, code] of refusals) {
        const res = await search(query, token, chat);
        assert.equal(res.status, status, query);
        assert.equal(res.body.error.code, code);
      }
    });

    await t.step("each user searches at most SEARCH_LIMIT times a window", async () => {
      // Bob searched nine times so far, a refused chat included: three left of twelve.
      for (let n = 0; n < 3; n++) assert.equal((await search("q=x")).status, 200);
      const over = await search("q=x");
      assert.equal(over.status, 429);
      assert.equal(over.body.error.code, "rate_limited");
      assert.equal((await search("q=x", alice.token)).status, 200, "another user's limit");
    });
  } finally {
    await server.close();
  }
});
