/**
 * `POST /api/auth/external` as the server is set up: off (404), and with a
 * provider's published keys (JWKS), which may not be reachable (503: its
 * logins come back with it, which `tests/adapters/jwt/` shows); and with
 * password sign-up closed.
 */
import assert from "node:assert/strict";
import { api, logIn, register } from "../_helpers/client.ts";
import {
  APP_SECRET,
  ISSUER,
  sharedSecretToken,
  startIdentityProvider,
} from "../_helpers/identity_provider.ts";
import { startTestServer } from "../_helpers/server.ts";

const login = (url: string, token: string) =>
  api(url, "POST", "/api/auth/external", { body: { token } });

Deno.test("without a provider set up, the route is 404", async () => {
  const server = await startTestServer();
  try {
    const res = await login(
      server.url,
      await sharedSecretToken(APP_SECRET, { sub: "ann" }),
    );
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "not_found");
  } finally {
    await server.close();
  }
});

Deno.test("a provider's published keys; while they cannot be read, 503", async () => {
  const provider = await startIdentityProvider();
  const env = { EXTERNAL_AUTH_ISSUER: ISSUER, EXTERNAL_AUTH_JWKS_URL: provider.jwksUrl };
  const up = await startTestServer(env);
  try {
    const res = await login(up.url, await provider.token({ sub: "lee", aud: undefined }));
    assert.equal(res.status, 201);
    assert.equal(res.body.user.id, "lee");
  } finally {
    await up.close();
  }
  provider.down = true;
  provider.fetches = 0;
  const server = await startTestServer(env);
  try {
    const token = await provider.token({ sub: "kim", aud: undefined });
    for (const _ of [1, 2]) {
      const down = await login(server.url, token);
      assert.equal(down.status, 503, JSON.stringify(down.body));
      assert.equal(down.body.error.code, "unavailable");
    }
    assert.equal(provider.fetches, 1, "one read per 30 s, however many logins");
  } finally {
    await server.close();
    await provider.close();
  }
});

Deno.test("PASSWORD_SIGNUP=closed: only the provider makes accounts", async () => {
  const secret = APP_SECRET;
  const dataDir = await Deno.makeTempDir({ prefix: "chat-test-" });
  const open = await startTestServer({ DATA_DIR: dataDir });
  const ann = await register(open.url, "ann");
  await open.close();
  const server = await startTestServer({
    DATA_DIR: dataDir,
    PASSWORD_SIGNUP: "closed",
    EXTERNAL_AUTH_ISSUER: ISSUER,
    EXTERNAL_AUTH_SECRET: secret,
  });
  try {
    const res = await api(server.url, "POST", "/api/auth/register", {
      body: { username: "newbie", email: "newbie@example.com", password: "long-enough-pw" },
    });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.details.reason, "signup_closed");
    assert.equal((await logIn(server.url, ann)).status, 200, "password accounts still log in");
    const external = await login(server.url, await sharedSecretToken(secret, { sub: "bo" }));
    assert.equal(external.status, 201);
  } finally {
    await server.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
