/**
 * Answers that do not come from the chat server (a proxy's 413 for a large
 * upload, a 502 while the server restarts, a 404 of a wrong path), through
 * the REST client over real HTTP: each gets the protocol's code of its status,
 * so the outbox fails what will never pass and tries again what may, when
 * its `Retry-After` says.
 * @module
 */
import assert from "node:assert/strict";
import { type ChatClientError, RestClient } from "../../src/sdk/mod.ts";

Deno.test("sdk: a proxy's answers get the protocol's codes", async () => {
  let status = 413;
  let headers: Record<string, string> = {};
  // A proxy in front of the server, answering in plain text as nginx does.
  const proxy = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    async (request) => {
      await request.body?.cancel();
      return new Response(`<html>${status}</html>`, {
        status,
        headers: { "Content-Type": "text/html", ...headers },
      });
    },
  );
  try {
    const rest = new RestClient(`http://127.0.0.1:${proxy.addr.port}`, "token");
    const refusal = async (answer: number) => {
      status = answer;
      return await rest.uploadFile("chat", new Blob(["x"])).then(
        () => assert.fail("refused"),
        (e: ChatClientError) => e,
      );
    };
    const codeFor = async (answer: number) => {
      const error = await refusal(answer);
      return [error.code, error.message];
    };
    assert.deepEqual(await codeFor(413), ["payload_too_large", "HTTP 413"]);
    assert.deepEqual(await codeFor(401), ["unauthorized", "HTTP 401"]);
    assert.deepEqual(await codeFor(404), ["not_found", "HTTP 404"]);
    assert.deepEqual(await codeFor(405), ["invalid_payload", "HTTP 405"]);
    assert.deepEqual(await codeFor(502), ["unavailable", "HTTP 502"]);
    assert.deepEqual(await codeFor(500), ["internal", "HTTP 500"]);
    assert.equal((await refusal(503)).retryAfterMs, undefined);
    // A load balancer's Retry-After, in seconds or as a date, is when the outbox tries again.
    headers = { "Retry-After": "7" };
    assert.equal((await refusal(503)).retryAfterMs, 7000);
    headers = { "Retry-After": new Date(Date.now() + 60_000).toUTCString() };
    const untilDate = (await refusal(429)).retryAfterMs!;
    assert.ok(untilDate > 55_000 && untilDate <= 60_000, `${untilDate} ms`);
    headers = { "Retry-After": "soon" };
    assert.equal((await refusal(503)).retryAfterMs, undefined);
  } finally {
    await proxy.shutdown();
  }
});
