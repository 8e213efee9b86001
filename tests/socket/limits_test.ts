/**
 * Rate limits through the real socket and REST API: messages per user, login
 * attempts per account and per address, sign-ups per address, counted in Redis
 * when it is configured, so two nodes share the count; and client events per
 * connection.
 */
import assert from "node:assert/strict";
import { api, connect, directChat, emitAck, register, scrape, sleep } from "../_helpers/client.ts";
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

      await t.step("sign-ups per client address", async () => {
        // Alice and Bob signed up from this address: one more may.
        assert.ok(await register(url));
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

Deno.test("socket events over a connection's budget are refused and change nothing", async (t) => {
  // Five events per minute: nothing refills during the test.
  const server = await startTestServer({
    SOCKET_EVENT_LIMIT: "5",
    SOCKET_EVENT_WINDOW_MS: "60000",
  });
  const { url } = server;
  const [alice, bob] = [await register(url), await register(url)];
  const chatId = await directChat(url, alice, bob);
  const a = await connect(url, alice.token);
  const sent = await emitAck(a, "message:send", { chatId, content: "hi", clientMsgId: "e1" });
  const messageId = sent.message.id;
  const react = (emoji: string) => emitAck(a, "message:reaction", { messageId, emoji });
  const refusals = await scrape(url).then((m) => m("chat_rate_limited_total"));
  try {
    await t.step("the sixth event is refused with rate_limited and retryAfterMs", async () => {
      for (const emoji of ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣"]) {
        assert.equal((await react(emoji)).ok, true);
      }
      const refused = await react("6️⃣");
      assert.equal(refused.ok, false);
      assert.equal(refused.error.code, "rate_limited");
      // One event comes back every 12 s at five a minute.
      assert.ok(refused.error.retryAfterMs > 0 && refused.error.retryAfterMs <= 12_000);
      const [message] = (await api(url, "GET", `/api/chats/${chatId}/messages`, {
        token: bob.token,
      })).body.messages;
      assert.deepEqual(Object.keys(message.reactions).sort(), ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣"]);
    });

    await t.step("sends are left to the message limit", async () => {
      const again = await emitAck(a, "message:send", {
        chatId,
        content: "still",
        clientMsgId: "e2",
      });
      assert.equal(again.ok, true);
    });

    await t.step("events without an ack are told once, not once each", async () => {
      a.events.length = 0;
      a.socket.emit("chat:typing", { chatId });
      a.socket.emit("chat:typing", { chatId });
      // Answers come in order: by this ack, both errors would have arrived.
      assert.equal((await emitAck(a, "chat:stopTyping", { chatId })).error.code, "rate_limited");
      const errors = a.events.filter(([event]) => event === "error");
      assert.deepEqual(errors.map(([, p]) => (p as { error: { code: string } }).error.code), [
        "rate_limited",
      ]);
    });

    await t.step(
      "the budget is the connection's: another device of the user is not held",
      async () => {
        const phone = await connect(url, alice.token);
        assert.equal(
          (await emitAck(phone, "message:reaction", { messageId, emoji: "6️⃣" })).ok,
          true,
        );
        phone.close();
        const after = await scrape(url).then((m) => m("chat_rate_limited_total"));
        assert.equal(after - refusals, 4, "each refusal is counted, told or not");
      },
    );
  } finally {
    a.close();
    await server.close();
  }
});

Deno.test("a connection's event budget refills as its window passes", async () => {
  const server = await startTestServer({ SOCKET_EVENT_LIMIT: "2", SOCKET_EVENT_WINDOW_MS: "1000" });
  const alice = await register(server.url);
  const a = await connect(server.url, alice.token);
  const join = () => emitAck(a, "chat:join", { chatId: "no-such-chat" });
  try {
    // Refused or not by the budget first: an unknown chat is a 404 that costs a budget event.
    assert.equal((await join()).error.code, "not_found");
    assert.equal((await join()).error.code, "not_found");
    const refused = await join();
    assert.equal(refused.error.code, "rate_limited");
    await sleep(refused.error.retryAfterMs);
    assert.equal((await join()).error.code, "not_found", "one event back after retryAfterMs");
  } finally {
    a.close();
    await server.close();
  }
});
