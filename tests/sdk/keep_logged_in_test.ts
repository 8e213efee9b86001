/**
 * `keepLoggedIn` against the real server: it refreshes ahead of expiry and
 * hands the new token on; it reports the end of a login at its max age or
 * after a logout elsewhere.
 * @module
 */
import assert from "node:assert/strict";
import { type AuthSession, ChatClient, keepLoggedIn, RestClient } from "../../src/sdk/mod.ts";
import { register, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

// An `aheadMs` that puts the first refresh a second from now.
const soon = (session: AuthSession) => Date.parse(session.expiresAt) - Date.now() - 1000;

Deno.test("keepLoggedIn: refreshes ahead of expiry; a refused refresh ends the login", async (t) => {
  const server = await startTestServer({ TOKEN_TTL_SECONDS: "60" });
  const session = await register(server.url, "kli");
  const rest = new RestClient(server.url, session.token);
  // A socket token no server accepts: only the refreshed one lets it connect.
  const client = new ChatClient({ url: server.url, token: "stale" });
  const refreshed: AuthSession[] = [];
  const stop = keepLoggedIn(rest, client, {
    expiresAt: session.expiresAt,
    aheadMs: soon(session),
    onRefresh: (s) => void refreshed.push(s),
    onEnded: () => assert.fail("the login did not end"),
  });
  try {
    await t.step("the new token goes to REST and to the socket", async () => {
      await until("a refresh", () => refreshed.length > 0, 10_000);
      stop();
      const [fresh] = refreshed;
      assert.notEqual(fresh.token, session.token);
      assert.ok(Date.parse(fresh.expiresAt) > Date.parse(session.expiresAt), "a later expiry");
      assert.equal(rest.token, fresh.token, "REST uses the new token");
      assert.equal((await rest.me()).id, session.user.id);
      client.connect();
      await until("the socket connects with the new token", () => client.connected);
    });

    await t.step("after a logout elsewhere: the refresh is refused, the end", async () => {
      const session = await register(server.url, "kli");
      const rest = new RestClient(server.url, session.token);
      await new RestClient(server.url, session.token).logout();
      let ended = false;
      keepLoggedIn(rest, undefined, {
        expiresAt: session.expiresAt,
        aheadMs: soon(session),
        onRefresh: () => assert.fail("no refresh after a logout"),
        onEnded: () => void (ended = true),
      });
      // Ended by the refusal, not by the token's expiry a minute later or a retry in 30 s.
      await until("the end", () => ended, 10_000);
    });
  } finally {
    stop();
    client.close();
    await server.close();
  }
});

Deno.test("keepLoggedIn: at a login's max age, one refresh gains nothing, then the end", async () => {
  const server = await startTestServer({ SESSION_MAX_AGE_SECONDS: "3" });
  try {
    const session = await register(server.url, "kli");
    const rest = new RestClient(server.url, session.token);
    const refreshed: AuthSession[] = [];
    let endedAt = 0;
    keepLoggedIn(rest, undefined, {
      expiresAt: session.expiresAt,
      onRefresh: (s) => void refreshed.push(s),
      onEnded: () => void (endedAt = Date.now()),
    });
    await until("the end", () => endedAt > 0, 10_000);
    assert.deepEqual(refreshed.map((s) => s.expiresAt), [session.expiresAt], "cut to the end");
    assert.ok(endedAt >= Date.parse(session.expiresAt), "not before the token expired");
  } finally {
    await server.close();
  }
});
