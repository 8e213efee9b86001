/**
 * How long the SDK's outbox waits before it tries a failed upload again,
 * through an HTTP front that fails uploads while the socket (through the same
 * front) stays connected: a flaky network's failures wait
 * longer each time, as a phone's data is spent on every try; a load balancer's
 * `Retry-After` is waited for. Each wait is checked from below only: a timer
 * never fires early, however slow the machine.
 * @module
 */
import assert from "node:assert/strict";
import { ChatClient, RestClient } from "../../src/sdk/mod.ts";
import { directChat, fastRetry, registerAll } from "../_helpers/client.ts";
import { type FrontResponse, startHttpFront } from "../_helpers/http_front.ts";
import { startTestServer } from "../_helpers/server.ts";

// What a timer may fire before its time through rounding.
const SLACK_MS = 20;

Deno.test("sdk: failed uploads are tried again later each time", async (t) => {
  const server = await startTestServer();
  const [alice, bob] = await registerAll(server.url, "alice", "bob");
  const chatId = await directChat(server.url, alice, bob);
  // The times of the uploads the front saw, and what it answers to the next ones.
  let tries: number[] = [];
  let failures: FrontResponse[] = [];
  const front = await startHttpFront(server.port, (request) => {
    if (request.method !== "POST" || !request.url?.includes("/files")) return null;
    tries.push(performance.now());
    return failures.shift() ?? null;
  });
  const client = new ChatClient({
    url: front.url,
    token: alice.token,
    socket: fastRetry,
  }).connect();
  const gaps = () => tries.slice(1).map((at, i) => Math.round(at - tries[i]));
  const sendFile = async (name: string) => {
    const message = await client.send(chatId, name, { files: [{ blob: new Blob([name]), name }] });
    const [file] = message.attachments!;
    const bytes = await new RestClient(server.url, bob.token).downloadFile(file.id);
    assert.equal(await bytes.text(), name);
  };
  const badGateway = { status: 502, body: "<html>502</html>" };
  try {
    await t.step("a flaky network: each wait twice the last, from half a second", async () => {
      failures = [badGateway, badGateway, badGateway];
      await sendFile("flaky.txt");
      assert.equal(tries.length, 4, "three failures, then the upload");
      const least = [500, 1000, 2000]; // half of 1, 2 and 4 s: the jitter takes up to half
      gaps().forEach((gap, i) => assert.ok(gap >= least[i] - SLACK_MS, `waits ${gaps()} ms`));
      assert.ok(client.connected, "the socket stayed connected");
    });

    await t.step("a load balancer's Retry-After is waited for", async () => {
      tries = [];
      failures = [{ status: 503, headers: { "Retry-After": "3" }, body: "busy" }];
      await sendFile("busy.txt");
      assert.equal(tries.length, 2);
      assert.ok(gaps()[0] >= 3000 - SLACK_MS, `waited ${gaps()} ms, not 3 s`);
    });
  } finally {
    client.close();
    await front.close();
    await server.close();
  }
});
