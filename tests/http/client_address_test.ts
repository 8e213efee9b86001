/**
 * Sign-ups are limited per client address, and the address is the peer's
 * unless `TRUSTED_PROXIES` says how many proxies in front append to
 * X-Forwarded-For: then clients behind one balancer are counted apart, and an
 * entry a client forged to the left of the proxies' is not believed. Without
 * trusted proxies, the header is ignored and said so once in the log. A refused
 * sign-up creates nothing. Real servers on port 0.
 */
import assert from "node:assert/strict";
import { api, PASSWORD } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

let counter = 0;
// A sign-up sent as through a proxy that saw the client at `forwardedFor`.
const signUp = (url: string, forwardedFor?: string) => {
  const username = `signup${Date.now().toString(36)}${++counter}`;
  const headers: Record<string, string> = forwardedFor ? { "X-Forwarded-For": forwardedFor } : {};
  const body = { username, email: `${username}@example.com`, password: PASSWORD };
  return api(url, "POST", "/api/auth/register", { body, headers }).then((res) => ({
    ...res,
    username,
  }));
};

Deno.test("sign-ups per client address, behind trusted proxies", async (t) => {
  const logs: Record<string, unknown>[][] = [[], []];
  const log = (i: number) => ({ log: (line: string) => logs[i].push(JSON.parse(line)) });
  const direct = await startTestServer({ SIGNUP_LIMIT: "2", LOG_LEVEL: "warn" }, log(0));
  const proxied = await startTestServer(
    { SIGNUP_LIMIT: "1", TRUSTED_PROXIES: "1", LOG_LEVEL: "warn" },
    log(1),
  );
  const ignored = (i: number) =>
    logs[i].filter((line) => String(line.msg).startsWith("X-Forwarded-For ignored")).length;
  try {
    await t.step("direct: the peer is the client, X-Forwarded-For is ignored", async () => {
      assert.equal((await signUp(direct.url, "203.0.113.1")).status, 201);
      assert.equal((await signUp(direct.url, "203.0.113.2")).status, 201);
      const refused = await signUp(direct.url, "203.0.113.3");
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, "rate_limited");
      assert.ok(Number(refused.headers.get("Retry-After")) > 0);
      // Nothing was created: the name logs nobody in.
      const login = await api(direct.url, "POST", "/api/auth/login", {
        body: { username: refused.username, password: PASSWORD },
      });
      assert.equal(login.status, 401);
      // A proxy nobody declared is told of once, not once a request.
      assert.equal(ignored(0), 1);
    });

    await t.step("through one proxy: clients are counted apart", async () => {
      assert.equal((await signUp(proxied.url, "203.0.113.1")).status, 201);
      assert.equal((await signUp(proxied.url, "203.0.113.1")).status, 429);
      assert.equal((await signUp(proxied.url, "203.0.113.2")).status, 201);
      // The proxy appended .1; what the client wrote to its left is its own to forge.
      assert.equal((await signUp(proxied.url, "198.51.100.7, 203.0.113.1")).status, 429);
      // No header: the peer (the proxy itself, here this test) is the client.
      assert.equal((await signUp(proxied.url)).status, 201);
      assert.equal((await signUp(proxied.url)).status, 429);
      assert.equal(ignored(1), 0);
    });
  } finally {
    await direct.close();
    await proxied.close();
  }
});
