/**
 * The SDK's report call against the real server: a message reported with its
 * copy, the same report again, and a refusal as a `ChatClientError` code.
 * @module
 */
import assert from "node:assert/strict";
import { RestClient } from "../../src/sdk/mod.ts";
import { api, directChat, registerAll } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { refused } from "./_helpers.ts";

Deno.test("sdk rest: a user reports a message of another", async () => {
  const server = await startTestServer();
  try {
    const [alice, bob] = await registerAll(server.url, "alice", "bob");
    const chatId = await directChat(server.url, alice, bob);
    const [aliceRest, bobRest] = [alice, bob].map((u) => new RestClient(server.url, u.token));
    const sent = await api(server.url, "POST", `/api/chats/${chatId}/messages`, {
      token: bob.token,
      body: { content: "buy followers now", clientMsgId: "spam-1" },
    });
    const message = sent.body.message;
    const report = await aliceRest.report(bob.user.id, { reason: "spam", messageId: message.id });
    assert.equal(report.userId, bob.user.id);
    assert.equal(report.message?.content, "buy followers now");
    const again = await aliceRest.report(bob.user.id, { reason: "spam", messageId: message.id });
    assert.equal(again.id, report.id, "the first report");
    await assert.rejects(
      bobRest.report(bob.user.id, { reason: "other" }),
      refused("invalid_payload"),
    );
  } finally {
    await server.close();
  }
});
