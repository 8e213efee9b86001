/**
 * Configuration: defaults, errors that name the variable, and the kept JWT
 * secret; and `main.ts healthcheck`, which reads only PORT.
 */
import assert from "node:assert/strict";
import { configuredPort, loadConfig } from "../src/config.ts";
import { freePort, startTestServer } from "./_helpers/server.ts";

Deno.test("config", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "config-" });

  await t.step("with nothing set it runs embedded on port 3000", async () => {
    const config = await loadConfig({ DATA_DIR: dir });
    assert.equal(config.port, 3000);
    assert.equal(config.maxMessageChars, 4096);
    assert.equal(config.jwtSecretGenerated, true);
    assert.ok(config.jwtSecret.length >= 32);
  });

  await t.step("the generated secret is kept in DATA_DIR across restarts", async () => {
    const first = await loadConfig({ DATA_DIR: dir });
    const second = await loadConfig({ DATA_DIR: dir });
    assert.equal(first.jwtSecret, second.jwtSecret);
    assert.equal((await Deno.readTextFile(`${dir}/jwt_secret`)).trim(), first.jwtSecret);
  });

  await t.step("servers starting at once on a new DATA_DIR agree on whole secrets", async () => {
    const fresh = await Deno.makeTempDir({ prefix: "config-race-" });
    try {
      const configs = await Promise.all(
        Array.from({ length: 20 }, () => loadConfig({ DATA_DIR: fresh })),
      );
      const keys = new Set(configs.map((c) => c.messageKeys.keys.k1));
      const secrets = new Set(configs.map((c) => c.jwtSecret));
      assert.deepEqual([keys.size, secrets.size], [1, 1], "one secret each, for all");
      assert.equal(Uint8Array.fromBase64([...keys][0]).length, 32, "the key whole");
      assert.equal(Uint8Array.fromBase64([...secrets][0]).length, 48, "the secret whole");
      assert.deepEqual((await Array.fromAsync(Deno.readDir(fresh))).map((e) => e.name).sort(), [
        "jwt_secret",
        "message_key",
      ], "nothing else left behind");
    } finally {
      await Deno.remove(fresh, { recursive: true });
    }
  });

  await t.step("a bad value names the variable", async () => {
    await assert.rejects(loadConfig({ PORT: "eighty" }), /Invalid PORT/);
    await assert.rejects(loadConfig({ MAX_MESSAGE_CHARS: "0" }), /Invalid MAX_MESSAGE_CHARS/);
    await assert.rejects(loadConfig({ LOG_LEVEL: "loud" }), /Invalid LOG_LEVEL/);
    await assert.rejects(loadConfig({ JWT_SECRET: "short" }), /Invalid JWT_SECRET/);
  });

  await t.step(
    "an identity provider: an issuer and a secret or a JWKS URL; sign-up; the app",
    async () => {
      const issuer = "https://id.example.test/";
      const secret = "s".repeat(32);
      const jwks = "https://id.example.test/.well-known/jwks.json";
      const read = (env: Record<string, string>) => loadConfig({ DATA_DIR: dir, ...env });
      assert.equal((await read({})).externalAuth, undefined);
      assert.equal((await read({})).passwordSignup, "open");
      assert.equal((await read({ PASSWORD_SIGNUP: "closed" })).passwordSignup, "closed");
      await assert.rejects(read({ PASSWORD_SIGNUP: "shut" }), /Invalid PASSWORD_SIGNUP/);
      assert.deepEqual(
        (await read({ EXTERNAL_AUTH_ISSUER: issuer, EXTERNAL_AUTH_JWKS_URL: jwks })).externalAuth,
        { issuer, audience: undefined, secret: undefined, jwksUrl: jwks },
      );
      const set = { EXTERNAL_AUTH_ISSUER: issuer, EXTERNAL_AUTH_SECRET: secret };
      assert.equal((await read(set)).externalAuth?.secret, secret);
      const app = { ...set, APP_BACKEND_TOKEN: "a".repeat(32), ADMIN_TOKEN: "b".repeat(32) };
      assert.equal((await read(app)).appBackendToken, "a".repeat(32));
      for (
        const [env, error] of [
          [{ EXTERNAL_AUTH_SECRET: secret }, /Invalid EXTERNAL_AUTH_ISSUER: required/],
          [{ EXTERNAL_AUTH_AUDIENCE: "app" }, /Invalid EXTERNAL_AUTH_ISSUER: required/],
          [{ EXTERNAL_AUTH_ISSUER: issuer }, /Invalid EXTERNAL_AUTH_ISSUER: needs/],
          [{ ...set, EXTERNAL_AUTH_JWKS_URL: jwks }, /Invalid EXTERNAL_AUTH_SECRET: set it or/],
          [{ ...set, EXTERNAL_AUTH_SECRET: "short" }, /Invalid EXTERNAL_AUTH_SECRET: must be/],
          [{ ...set, EXTERNAL_AUTH_JWKS_URL: "ftp://x" }, /Invalid EXTERNAL_AUTH_JWKS_URL/],
          [{ APP_BACKEND_TOKEN: "a".repeat(32) }, /Invalid APP_BACKEND_TOKEN: needs a provider/],
          [{ ...set, APP_BACKEND_TOKEN: "a b".repeat(16) }, /Invalid APP_BACKEND_TOKEN: must be/],
          [
            { ...set, APP_BACKEND_TOKEN: "a".repeat(32), ADMIN_TOKEN: "a".repeat(32) },
            /Invalid APP_BACKEND_TOKEN: must differ from ADMIN_TOKEN/,
          ],
        ] as const
      ) {
        await assert.rejects(read(env), error);
      }
    },
  );

  await t.step(
    "webhooks: a secret of Standard Webhooks' form, and events only signed",
    async () => {
      const read = (env: Record<string, string>) => loadConfig({ DATA_DIR: dir, ...env });
      const secret = `whsec_${btoa("k".repeat(32))}`;
      const url = "https://app.example/events";
      const set = await read({ WEBHOOK_SECRET: secret, EVENTS_WEBHOOK_URL: url });
      assert.equal(set.webhookSecret, secret);
      assert.deepEqual(set.eventsWebhook, {
        url,
        maxAttempts: 12,
        retryBaseMs: 1000,
        timeoutMs: 10000,
      });
      assert.equal((await read({ WEBHOOK_SECRET: secret })).eventsWebhook, undefined);
      for (
        const [env, error] of [
          [{ EVENTS_WEBHOOK_URL: url }, /Invalid EVENTS_WEBHOOK_URL: needs WEBHOOK_SECRET/],
          [{ WEBHOOK_SECRET: "k".repeat(32) }, /Invalid WEBHOOK_SECRET: must be whsec_/],
          [{ WEBHOOK_SECRET: `whsec_${btoa("short")}` }, /Invalid WEBHOOK_SECRET: its key must be/],
          [{ WEBHOOK_SECRET: secret, EVENTS_WEBHOOK_URL: "ftp://x" }, /Invalid EVENTS_WEBHOOK_URL/],
        ] as const
      ) {
        await assert.rejects(read(env), error);
      }
    },
  );

  await t.step("production requires JWT_SECRET, MESSAGE_KEY, and signed pushes", async () => {
    await assert.rejects(
      loadConfig({ DENO_ENV: "production", DATA_DIR: dir }),
      /JWT_SECRET: required/,
    );
    const key = btoa("k".repeat(32));
    await assert.rejects(
      loadConfig({ DENO_ENV: "production", JWT_SECRET: "s".repeat(40), DATA_DIR: dir }),
      /MESSAGE_KEY: required/,
    );
    const production = { DENO_ENV: "production", JWT_SECRET: "s".repeat(40), MESSAGE_KEY: key };
    const config = await loadConfig(production);
    assert.equal(config.jwtSecretGenerated, false);
    assert.equal(config.messageKeyGenerated, false);
    // Pushes carry a preview of the message: signed in production, as the events always are.
    const push = { ...production, PUSH_WEBHOOK_URL: "https://push.example.com/hook" };
    await assert.rejects(loadConfig(push), /PUSH_WEBHOOK_URL: needs WEBHOOK_SECRET/);
    const secret = `whsec_${btoa("w".repeat(32))}`;
    assert.equal((await loadConfig({ ...push, WEBHOOK_SECRET: secret })).webhookSecret, secret);
    const trying = await loadConfig({ DATA_DIR: dir, PUSH_WEBHOOK_URL: push.PUSH_WEBHOOK_URL });
    assert.equal(trying.webhookSecret, undefined, "in development a push may go unsigned");
  });

  await t.step("message keys: a bad key names the variable; old keys stay readable", async () => {
    await assert.rejects(loadConfig({ MESSAGE_KEY: btoa("short") }), /Invalid MESSAGE_KEY/);
    await assert.rejects(
      loadConfig({ MESSAGE_KEY: btoa("k".repeat(32)), MESSAGE_OLD_KEYS: "k0" }),
      /Invalid MESSAGE_OLD_KEYS/,
    );
    const config = await loadConfig({
      DATA_DIR: dir,
      MESSAGE_KEY: btoa("n".repeat(32)),
      MESSAGE_KEY_ID: "k2",
      MESSAGE_OLD_KEYS: `k1:${btoa("o".repeat(32))}`,
    });
    assert.deepEqual(config.messageKeys, {
      currentId: "k2",
      keys: { k1: btoa("o".repeat(32)), k2: btoa("n".repeat(32)) },
    });
  });

  await t.step("an empty variable counts as unset", async () => {
    assert.equal((await loadConfig({ PORT: "", DATA_DIR: dir })).port, 3000);
  });

  await Deno.remove(dir, { recursive: true });
});

/** Runs `src/main.ts` in a child process with `env` and `args`; resolves with its exit. */
function runMain(env: Record<string, string>, args: string[] = []) {
  const main = new URL("../src/main.ts", import.meta.url).pathname;
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", main, ...args],
    env,
    stdout: "null",
    stderr: "piped",
  }).output();
}

Deno.test("a bad variable stops the process with a message naming it", async () => {
  const { code, stderr } = await runMain({ PORT: "not-a-port" });
  assert.equal(code, 1);
  assert.match(new TextDecoder().decode(stderr), /Invalid PORT/);
});

Deno.test("healthcheck exits 0 while the server on PORT answers, 1 when none does", async () => {
  assert.equal(configuredPort({}), 3000);
  assert.equal(configuredPort({ PORT: "8080" }), 8080);
  assert.equal(configuredPort({ PORT: "not-a-port" }), 0);
  const probe = async (port: number) =>
    (await runMain({ PORT: String(port) }, ["healthcheck"])).code;
  const server = await startTestServer();
  try {
    assert.equal(await probe(server.port), 0);
  } finally {
    await server.close();
  }
  assert.equal(await probe(freePort()), 1);
});
