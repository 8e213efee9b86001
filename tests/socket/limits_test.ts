/**
 * Rate limits through the real socket and REST API: messages per user, login
 * attempts per account and per address, REST requests per user, sign-ups per
 * address, counted in Redis when it is configured, so two nodes share the
 * count. Client events per connection are in `event_budget_test.ts`.
 */
import assert from "node:assert/strict";
import { api, connect, directChat, emitAck, register } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { REDIS_URL, serviceUp, uniquePrefix } from "../_helpers/services.ts";

const redisUp = await serviceUp("Redis", REDIS_URL);

function limitSuite(mode: string, env: Record<string, string>, ignore = false) {
  Deno.test({
    name: `rate limits (${mode})`,
    ignore,
    fn: async (t) => {
      const server = await startTestServer({
        RATE_LIMIT_MESSAGES: "5",
        LOGIN_LIMIT_PER_ACCOUNT: "3",
        LOGIN_LIMIT_PER_ADDRESS: "8",
        SIGNUP_LIMIT: "3",
        API_REQUEST_LIMIT: "20",
        ...env,
      });
      const { url } = server;
      const [alice, bob] = [await register(url), await register(url)];
      const chatId = await directChat(url, alice, bob);

      await t.step(
        "the sixth message in a minute is refused with rate_limited and retryAfterMs",
        async () => {
          const a = await connect(url, alice.token);
          for (let i = 0; i < 4; i++) {
            assert.equal(
              (await emitAck(a, "message:send", { chatId, content: `m${i}`, clientMsgId: `l${i}` }))
                .ok,
              true,
            );
          }
          // Retries of a stored message (a lost ack) store nothing and count nothing.
          for (let i = 0; i < 2; i++) {
            const again = await emitAck(a, "message:send", {
              chatId,
              content: "m0",
              clientMsgId: "l0",
            });
            assert.equal(again.ok, true);
            assert.equal(again.message.seq, 1);
          }
          const rest = await api(url, "POST", `/api/chats/${chatId}/messages`, {
            token: alice.token,
            body: { content: "fifth" },
          });
          assert.equal(rest.status, 201);
          const refused = await emitAck(a, "message:send", {
            chatId,
            content: "sixth",
            clientMsgId: "l6",
          });
          assert.equal(refused.ok, false);
          assert.equal(refused.error.code, "rate_limited");
          assert.ok(refused.error.retryAfterMs > 0 && refused.error.retryAfterMs <= 60_000);
          // At the limit, a retry of a stored message still gets it back: it stores nothing.
          const retried = await emitAck(a, "message:send", {
            chatId,
            content: "m1",
            clientMsgId: "l1",
          });
          assert.equal(retried.ok, true);
          assert.equal(retried.message.seq, 2);
          const refusedRest = await api(url, "POST", `/api/chats/${chatId}/messages`, {
            token: alice.token,
            body: { content: "x" },
          });
          assert.equal(refusedRest.status, 429);
          assert.equal(refusedRest.body.error.code, "rate_limited");
          assert.ok(Number(refusedRest.headers.get("Retry-After")) >= 1);
          const history = await api(url, "GET", `/api/chats/${chatId}/messages`, {
            token: bob.token,
          });
          assert.equal(history.body.messages.length, 5, "nothing refused was stored");
          const other = await connect(url, bob.token);
          assert.equal(
            (await emitAck(other, "message:send", {
              chatId,
              content: "bob is fine",
              clientMsgId: "b1",
            })).ok,
            true,
          );
          a.close();
          other.close();
        },
      );

      await t.step("login attempts are limited per account, right password or not", async () => {
        const login = (password: string) =>
          api(url, "POST", "/api/auth/login", { body: { username: bob.user.username, password } });
        for (let i = 0; i < 3; i++) assert.equal((await login("wrong password")).status, 401);
        const blocked = await login("correct horse");
        assert.equal(blocked.status, 429);
        assert.ok(Number(blocked.headers.get("Retry-After")) > 0);
      });

      await t.step("and per client address, across accounts", async () => {
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) {
          statuses.push(
            (await api(url, "POST", "/api/auth/login", {
              body: { username: `nobody${i}`, password: "x" },
            })).status,
          );
        }
        // Three counted attempts above came from this address too (the fourth was refused by
        // the account limit before the address was counted): 8 allowed in all.
        assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
      });

      await t.step("REST requests per user, whatever the route", async () => {
        const carol = await register(url);
        const get = (user: typeof carol, path: string) =>
          api(url, "GET", path, { token: user.token });
        for (let i = 0; i < 10; i++) assert.equal((await get(carol, "/api/chats")).status, 200);
        for (let i = 0; i < 10; i++) assert.equal((await get(carol, "/api/auth/me")).status, 200);
        const over = await get(carol, `/api/users/${alice.user.id}`);
        assert.equal(over.status, 429);
        assert.equal(over.body.error.code, "rate_limited");
        assert.ok(Number(over.headers.get("Retry-After")) > 0);
        assert.equal((await get(bob, "/api/chats")).status, 200, "other users are not held");
      });

      await t.step("sign-ups per client address", async () => {
        // Carol signed up above: the limit's third.
        await assert.rejects(register(url), /rate_limited/);
      });

      await server.close();
    },
  });
}

limitSuite("in memory", {});
limitSuite("in redis", { REDIS_URL, KEY_PREFIX: uniquePrefix() }, !redisUp);

Deno.test({
  name: "rate limits in redis are shared by two nodes",
  ignore: !redisUp,
  fn: async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "limits-" });
    const env = {
      REDIS_URL,
      KEY_PREFIX: uniquePrefix(),
      RATE_LIMIT_MESSAGES: "4",
      DATA_DIR: dataDir,
    };
    const [nodeA, nodeB] = [await startTestServer(env), await startTestServer(env)];
    const [alice, bob] = [await register(nodeA.url), await register(nodeA.url)];
    const chatId = await directChat(nodeA.url, alice, bob);
    const send = (url: string, i: number) =>
      api(url, "POST", `/api/chats/${chatId}/messages`, {
        token: alice.token,
        body: { content: `n${i}` },
      });
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await send(i % 2 ? nodeB.url : nodeA.url, i)).status);
    }
    assert.deepEqual(statuses, [201, 201, 201, 201, 429, 429]);
    await nodeA.close();
    await nodeB.close();
    await Deno.remove(dataDir, { recursive: true });
  },
});
