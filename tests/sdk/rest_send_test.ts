/**
 * `RestClient.sendMessage` through a flaky front: tried again with the same
 * `clientMsgId` while the server is unavailable or its answer is lost, so the
 * message is stored once; a refusal rejects at once, and `attempts: 1` tries
 * once.
 */
import assert from "node:assert/strict";
import { text } from "node:stream/consumers";
import { ChatClientError, RestClient } from "../../src/sdk/mod.ts";
import { directChat, registerAll } from "../_helpers/client.ts";
import { type FrontResponse, startHttpFront } from "../_helpers/http_front.ts";
import { startTestServer } from "../_helpers/server.ts";

const UNAVAILABLE: FrontResponse = {
  status: 503,
  headers: { "Retry-After": "0", "Content-Type": "application/json" },
  body: JSON.stringify({ error: { code: "unavailable", message: "Restarting", retryAfterMs: 0 } }),
};

Deno.test("sdk: a message sent over REST is tried again, and stored once", async (t) => {
  const server = await startTestServer();
  const [alice, bob] = await registerAll(server.url, "alice", "bob");
  const chatId = await directChat(server.url, alice, bob);
  // The bodies of the sends the front saw, and how it fails the next ones.
  let sends: { clientMsgId: string }[] = [];
  let failures: ("unavailable" | "answer lost")[] = [];
  const front = await startHttpFront(server.port, async (request) => {
    if (request.method !== "POST" || !request.url?.endsWith("/messages")) return null;
    const body = await text(request);
    sends.push(JSON.parse(body));
    const failure = failures.shift();
    if (failure === "unavailable") return UNAVAILABLE;
    // Read here, so the front forwards it itself; a lost answer is stored upstream
    // all the same, and never reaches the client.
    const headers = {
      Authorization: request.headers.authorization!,
      "Content-Type": "application/json",
    };
    const stored = await fetch(`${server.url}${request.url}`, { method: "POST", headers, body });
    const answer = await stored.text();
    if (failure === "answer lost") return { status: 502 };
    return { status: stored.status, headers: { "Content-Type": "application/json" }, body: answer };
  });
  const alicesRest = new RestClient(front.url, alice.token);
  const history = async () =>
    (await new RestClient(server.url, bob.token).history(chatId)).messages.map((m) => m.content);
  try {
    await t.step("through two 503s and a lost answer, one message", async () => {
      failures = ["unavailable", "answer lost", "unavailable"];
      const sent = await alicesRest.sendMessage(chatId, "order shipped");
      assert.equal(sent.content, "order shipped");
      assert.equal(sends.length, 4);
      assert.equal(new Set(sends.map((s) => s.clientMsgId)).size, 1, "one clientMsgId");
      assert.deepEqual(await history(), ["order shipped"]);
    });

    await t.step("attempts: 1 tries once; a refusal is not tried again", async () => {
      sends = [];
      failures = ["unavailable"];
      const once = await alicesRest.sendMessage(chatId, "x", { attempts: 1 }).catch((e) => e);
      assert.ok(once instanceof ChatClientError);
      assert.equal(once.code, "unavailable");
      const refused = await alicesRest.sendMessage(chatId, "").catch((e) => e);
      assert.equal(refused.code, "invalid_payload");
      assert.equal(sends.length, 2);
      assert.deepEqual(await history(), ["order shipped"]);
    });
  } finally {
    await front.close();
    await server.close();
  }
});
