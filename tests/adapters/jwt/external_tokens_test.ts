/**
 * The external token verifier against an identity provider that publishes its
 * keys over real HTTP: what a token says, the keys read once and again when
 * rotated, and a provider that cannot be reached.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHmac } from "node:crypto";
import { sign } from "hono/jwt";
import { createExternalTokenVerifier } from "../../../src/adapters/jwt/mod.ts";
import { UnavailableError } from "../../../src/core/errors.ts";
import { sleep } from "../../_helpers/client.ts";
import {
  APP_SECRET,
  AUDIENCE,
  ISSUER,
  sharedSecretToken,
  startIdentityProvider,
} from "../../_helpers/identity_provider.ts";

Deno.test("external tokens of a provider's published keys", async (t) => {
  const provider = await startIdentityProvider();
  const verifier = createExternalTokenVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUrl: provider.jwksUrl,
    keyTiming: { maxAgeMs: 2_000, cooldownMs: 1_000 },
  });

  await t.step(
    "a valid token names its user; a name or picture it cannot use is left out",
    async () => {
      const token = await provider.token({
        sub: "google-oauth2|1077",
        preferred_username: "ann",
        name: "Ann",
        picture: "https://cdn.example.test/a.png",
      });
      assert.deepEqual(await verifier.verify(token), {
        subject: "google-oauth2|1077",
        username: "ann",
        displayName: "Ann",
        avatar: "https://cdn.example.test/a.png",
      });
      const odd = await provider.token({ sub: "b", name: "x".repeat(65), picture: "javascript:1" });
      assert.deepEqual(await verifier.verify(odd), { subject: "b" });
    },
  );

  await t.step("the keys are read once for many tokens", async () => {
    for (let i = 0; i < 5; i++) await verifier.verify(await provider.token({ sub: `u${i}` }));
    assert.equal(provider.fetches, 1);
  });

  await t.step("refused: a secret-signed token, another issuer, an unknown key", async () => {
    const bad = [
      await sharedSecretToken("a-secret-anyone-could-guess-0123456789", { sub: "x" }),
      await provider.token({ sub: "x", iss: "https://other.test/" }),
      await provider.token({ sub: "x", aud: "other" }),
    ];
    for (const token of bad) await assert.rejects(verifier.verify(token));
    // A key id nobody published: the keys were read moments ago, so not read again.
    const header = { alg: "RS256", kid: "made-up" };
    const forged = `${btoa(JSON.stringify(header))}.${btoa('{"sub":"x"}')}.c2ln`;
    await assert.rejects(verifier.verify(forged));
    assert.equal(provider.fetches, 1, "no read for a made-up key within the cooldown");
  });

  await t.step("a rotated key is read when its first token comes", async () => {
    await provider.addKey("k2");
    const token = await provider.token({ sub: "rotated" }, "k2");
    await sleep(1_050);
    assert.equal((await verifier.verify(token)).subject, "rotated");
    assert.equal(provider.fetches, 2);
  });

  await t.step("provider down: known keys still serve, an unknown one is unavailable", async () => {
    provider.down = true;
    await sleep(2_050);
    assert.equal((await verifier.verify(await provider.token({ sub: "still" }))).subject, "still");
    assert.equal(provider.fetches, 3, "it tried to read them again");
    await verifier.verify(await provider.token({ sub: "still" }));
    assert.equal(provider.fetches, 3, "and not at the next login, within the cooldown");
    await provider.addKey("k3");
    await sleep(1_050);
    await assert.rejects(
      verifier.verify(await provider.token({ sub: "new" }, "k3")),
      UnavailableError,
    );
  });

  await t.step("elliptic-curve keys serve as well as RSA ones", async () => {
    provider.down = false;
    await provider.addKey("ec", "ES256");
    await provider.addKey("ed", "EdDSA");
    await sleep(1_050);
    for (const kid of ["ec", "ed"]) {
      assert.equal((await verifier.verify(await provider.token({ sub: kid }, kid))).subject, kid);
    }
  });

  await t.step("with a secret: HS256 only; a JWT or an OAuth access token", async () => {
    const secret = APP_SECRET;
    const shared = createExternalTokenVerifier({ issuer: ISSUER, secret });
    assert.equal((await shared.verify(await sharedSecretToken(secret, { sub: "s" }))).subject, "s");
    const now = Math.floor(Date.now() / 1000);
    const rs = await provider.token({ sub: "s" });
    await assert.rejects(shared.verify(rs));
    const hs512 = await sign({ iss: ISSUER, sub: "s", exp: now + 60 }, secret, "HS512");
    await assert.rejects(shared.verify(hs512));
    // An OAuth access token (RFC 9068) says so in its header; another type is refused.
    const typed = (typ: string, sub: string) => {
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
      const body = `${part({ alg: "HS256", typ })}.${part({ iss: ISSUER, sub, exp: now + 60 })}`;
      return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
    };
    assert.equal((await shared.verify(typed("at+jwt", "a"))).subject, "a");
    assert.equal((await shared.verify(typed("application/at+jwt", "b"))).subject, "b");
    assert.equal((await shared.verify(typed("JWT", "c"))).subject, "c");
    await assert.rejects(shared.verify(typed("dpop+jwt", "d")));
  });

  await provider.close();
});
