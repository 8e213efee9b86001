/**
 * `deno task doctor` against real dependencies: all good, then a wrong Redis
 * port and a wrong RabbitMQ password, each named with what to do; and the
 * identity provider's keys, read and not; the webhooks, answering and not; the
 * jobs' own file beside MongoDB.
 * @module
 */
import assert from "node:assert/strict";
import { AMQP_URL, REDIS_URL, serviceUp } from "./_helpers/services.ts";
import { ISSUER, startIdentityProvider } from "./_helpers/identity_provider.ts";
import { webhookReceiver } from "./_helpers/webhook.ts";

const DOCTOR = new URL("../src/doctor.ts", import.meta.url).pathname;

async function doctor(env: Record<string, string>): Promise<{ code: number; out: string }> {
  const dataDir = await Deno.makeTempDir({ prefix: "doctor-" });
  const { code, stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", DOCTOR],
    env: { DATA_DIR: dataDir, ...env },
    stdout: "piped",
    stderr: "null",
  }).output();
  await Deno.remove(dataDir, { recursive: true });
  return { code, out: new TextDecoder().decode(stdout) };
}

Deno.test("doctor: a bad variable is named, and the exit code says so", async () => {
  const { code, out } = await doctor({ PORT: "not-a-port" });
  assert.equal(code, 1);
  assert.match(out, /FAIL {2}configuration: Invalid PORT/);
});

const up = await serviceUp("Redis", REDIS_URL) && await serviceUp("RabbitMQ", AMQP_URL);
Deno.test({
  name: "doctor: every configured dependency checked, failures explained",
  ignore: !up,
  async fn() {
    const good = await doctor({ REDIS_URL, AMQP_URL });
    assert.equal(good.code, 0, good.out);
    assert.match(good.out, /ok {4}presence: Redis/);
    assert.match(good.out, /ok {4}offline queue: RabbitMQ/);
    const bad = await doctor({
      REDIS_URL: "redis://127.0.0.1:1",
      AMQP_URL: AMQP_URL.replace("guest:guest", "guest:wrong"),
    });
    assert.equal(bad.code, 1);
    assert.match(bad.out, /FAIL {2}presence: Redis: cannot reach/);
    assert.match(bad.out, /FAIL {2}offline queue: RabbitMQ: .*ACCESS.REFUSED/);
    assert.doesNotMatch(bad.out, /wrong/, "no password in the output");
    assert.match(bad.out, /what to do: Start Redis/);
  },
});

Deno.test("doctor: the identity provider's keys are read, or why not is said", async () => {
  const provider = await startIdentityProvider();
  try {
    const env = { EXTERNAL_AUTH_ISSUER: ISSUER, EXTERNAL_AUTH_JWKS_URL: provider.jwksUrl };
    const good = await doctor(env);
    assert.equal(good.code, 0, good.out);
    assert.match(good.out, /ok {4}identity provider: keys: 1 listed at http:/);
    provider.down = true;
    const bad = await doctor(env);
    assert.equal(bad.code, 1);
    assert.match(bad.out, /FAIL {2}identity provider: keys: .*: the provider answered 503/);
    assert.match(bad.out, /what to do: Check EXTERNAL_AUTH_JWKS_URL/);
  } finally {
    await provider.close();
  }
});

Deno.test("doctor: the webhooks answer, or what to check is said", async () => {
  const hook = await webhookReceiver();
  const secret = `whsec_${btoa("k".repeat(32))}`;
  try {
    const env = {
      PUSH_WEBHOOK_URL: `${hook.url}?token=hidden`,
      EVENTS_WEBHOOK_URL: hook.url,
      WEBHOOK_SECRET: secret,
    };
    const good = await doctor(env);
    assert.equal(good.code, 0, good.out);
    assert.match(good.out, /ok {4}push webhook: http:\/\/127\.0\.0\.1:\d+\/hook answers \(405/);
    assert.match(good.out, /ok {4}events webhook: http:/);
    assert.doesNotMatch(good.out, /hidden/, "no query in the output");
    assert.equal(hook.calls(), 0, "nothing was posted");
  } finally {
    await hook.close();
  }
  const bad = await doctor({
    EVENTS_WEBHOOK_URL: "http://127.0.0.1:1/events",
    WEBHOOK_SECRET: secret,
  });
  assert.equal(bad.code, 1);
  assert.match(bad.out, /FAIL {2}events webhook: /);
  assert.match(bad.out, /what to do: Check EVENTS_WEBHOOK_URL/);
});

Deno.test("doctor: beside MongoDB without RabbitMQ, the jobs' own file is checked", async () => {
  const hook = await webhookReceiver();
  try {
    // No MongoDB here: its check fails (in 5 s), and the jobs' check runs all the same.
    const { code, out } = await doctor({
      MONGODB_URL: "mongodb://127.0.0.1:1/chat",
      PUSH_WEBHOOK_URL: hook.url,
    });
    assert.equal(code, 1);
    assert.match(out, /FAIL {2}store: MongoDB/);
    assert.match(out, /ok {4}jobs: Deno KV file: \/.*\/jobs\.kv \(AMQP_URL not set\)/);
  } finally {
    await hook.close();
  }
});
