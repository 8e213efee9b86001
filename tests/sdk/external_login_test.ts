/**
 * The SDK logs in through the app's identity provider and chats as that user.
 */
import assert from "node:assert/strict";
import { ChatClientError, RestClient } from "../../src/sdk/mod.ts";
import { APP_SECRET, ISSUER, sharedSecretToken } from "../_helpers/identity_provider.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("sdk: a login through the app's identity provider", async () => {
  const secret = APP_SECRET;
  const server = await startTestServer({
    EXTERNAL_AUTH_ISSUER: ISSUER,
    EXTERNAL_AUTH_SECRET: secret,
  });
  try {
    const token = await sharedSecretToken(secret, { sub: "firebase-uid-7", name: "Gus" });
    const session = await RestClient.loginExternal(server.url, token);
    assert.equal(session.user.id, "firebase-uid-7");
    const me = await new RestClient(server.url, session.token).me();
    assert.equal(me.displayName, "Gus");
    const refused = await RestClient.loginExternal(server.url, "not-a-token").catch((e) => e);
    assert.ok(refused instanceof ChatClientError);
    assert.equal(refused.code, "unauthorized");
  } finally {
    await server.close();
  }
});
