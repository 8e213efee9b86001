/**
 * Message content and files at rest: the store contract through the encrypted store, no
 * plaintext in the raw KV file, key rotation, and ciphertexts bound to their message.
 */
import assert from "node:assert/strict";
import { openKvStore } from "../../../src/adapters/kv/mod.ts";
import { encryptedStore, Keyring } from "../../../src/adapters/crypto/mod.ts";
import { storeContract } from "../../contract/store.ts";
import { api, connect, directChat, emitAck, register } from "../../_helpers/client.ts";
import { startTestServer } from "../../_helpers/server.ts";
import { download, upload } from "../../_helpers/files.ts";

const key = (c: string) => btoa(c.repeat(32));

storeContract("deno kv, encrypted", async () => {
  const dir = await Deno.makeTempDir({ prefix: "enc-contract-" });
  const store = await openKvStore({ path: `${dir}/chat.kv` });
  const keyring = await Keyring.create({ currentId: "k1", keys: { k1: key("a") } });
  return {
    store: encryptedStore(store, keyring),
    cleanup: async () => {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
});

async function rawBytesContain(dir: string, text: string): Promise<boolean> {
  const needle = new TextEncoder().encode(text);
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !entry.name.startsWith("chat.kv")) continue;
    const bytes = await Deno.readFile(`${dir}/${entry.name}`);
    outer: for (let i = 0; i <= bytes.length - needle.length; i++) {
      for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
      return true;
    }
  }
  return false;
}

Deno.test("no message content in plaintext in the KV file; rotation keeps old messages readable", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "enc-raw-" });
  const first = await startTestServer({
    DATA_DIR: dataDir,
    MESSAGE_KEY: key("a"),
    MESSAGE_KEY_ID: "k1",
  });
  const [alice, bob] = [await register(first.url), await register(first.url)];
  const chatId = await directChat(first.url, alice, bob);
  const a = await connect(first.url, alice.token);
  const sent = await emitAck(a, "message:send", {
    chatId,
    content: "MARKER-original-7f3a",
    clientMsgId: "s1",
  });
  assert.equal(sent.message.content, "MARKER-original-7f3a");
  await emitAck(a, "message:send", { chatId, content: "MARKER-edited-before", clientMsgId: "s2" });
  const edited = await emitAck(a, "message:edit", {
    messageId: sent.message.id,
    content: "MARKER-edited-9c1d",
  });
  assert.equal(edited.message.content, "MARKER-edited-9c1d");
  // A report keeps a copy of the message: encrypted too.
  const reported = await api(first.url, "POST", "/api/reports", {
    token: bob.token,
    body: { userId: alice.user.id, messageId: sent.message.id, reason: "spam" },
  });
  assert.equal(reported.body.report.message.content, "MARKER-edited-9c1d");
  // A file's bytes and its name, in the file's record and in the message: encrypted too.
  const marked = { name: "MARKER-name.txt", body: "MARKER-bytes-51e2", type: "text/plain" };
  const { file } = (await upload(first.url, alice.token, { chatId, ...marked })).body;
  await emitAck(a, "message:send", {
    chatId,
    content: "with a file",
    clientMsgId: "s4",
    attachments: [file.id],
  });
  a.close();
  await first.close();

  await t.step("the raw file holds neither the original nor the edit", async () => {
    assert.equal(await rawBytesContain(dataDir, "MARKER-"), false);
    // The check itself works: a plaintext written by hand is found.
    const kv = await Deno.openKv(`${dataDir}/chat.kv`);
    await kv.set(["probe"], "MARKER-probe");
    kv.close();
    assert.equal(await rawBytesContain(dataDir, "MARKER-probe"), true);
  });

  await t.step(
    "after rotating to a new key, old messages, new ones and reports read back",
    async () => {
      const second = await startTestServer({
        DATA_DIR: dataDir,
        MESSAGE_KEY: key("b"),
        MESSAGE_KEY_ID: "k2",
        MESSAGE_OLD_KEYS: `k1:${key("a")}`,
        ADMIN_TOKEN: "a".repeat(32),
      });
      const reports = await api(second.url, "GET", "/api/admin/reports", { token: "a".repeat(32) });
      assert.equal(reports.body.reports[0].message.content, "MARKER-edited-9c1d", "the report too");
      const a2 = await connect(second.url, alice.token);
      await emitAck(a2, "message:send", {
        chatId,
        content: "MARKER-after-rotation",
        clientMsgId: "s3",
      });
      a2.close();
      const history = await api(second.url, "GET", `/api/chats/${chatId}/messages`, {
        token: bob.token,
      });
      assert.deepEqual(history.body.messages.map((m: { content: string }) => m.content), [
        "MARKER-after-rotation",
        "with a file",
        "MARKER-edited-before",
        "MARKER-edited-9c1d",
      ]);
      assert.equal(history.body.messages[1].attachments[0].name, "MARKER-name.txt");
      const bytes = await download(second.url, bob.token, file.id);
      assert.equal(await bytes.text(), "MARKER-bytes-51e2", "under the old key");
      await second.close();
      const raw = await openKvStore({ path: `${dataDir}/chat.kv` });
      const stored = await raw.messages.history(chatId, { limit: 10 });
      assert.deepEqual(stored.map((m) => m.content.split(".").slice(0, 2).join(".")), [
        "enc1.k2",
        "enc1.k1",
        "enc1.k1",
        "enc1.k1",
      ]);
      await raw.close();
    },
  );

  await t.step(
    "without the old key the server cannot read old messages (no silent garbage)",
    async () => {
      const third = await startTestServer({
        DATA_DIR: dataDir,
        MESSAGE_KEY: key("b"),
        MESSAGE_KEY_ID: "k2",
      });
      const res = await api(third.url, "GET", `/api/chats/${chatId}/messages`, {
        token: bob.token,
      });
      assert.equal(res.status, 500);
      assert.equal(res.body.error.code, "internal");
      await third.close();
    },
  );

  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("a ciphertext moved to another message does not open", async () => {
  const keyring = await Keyring.create({ currentId: "k1", keys: { k1: key("a") } });
  const sealed = await keyring.encrypt("hello", "message-1");
  assert.equal(await keyring.decrypt(sealed, "message-1"), "hello");
  await assert.rejects(keyring.decrypt(sealed, "message-2"));
  assert.notEqual(await keyring.encrypt("hello", "message-1"), sealed, "a fresh IV each time");
  // Multi-byte characters, long enough to cross any block or chunk boundary, come back whole.
  const text = "héllo 👋🏽 日本語 e\u0301 ".repeat(200);
  assert.equal(await keyring.decrypt(await keyring.encrypt(text, "m"), "m"), text);
  await assert.rejects(
    Keyring.create({ currentId: "k1", keys: { k1: btoa("short") } }),
    /32 bytes/,
  );
});

Deno.test("content sealed by WebCrypto AES-GCM (earlier versions) still opens", async () => {
  const raw = key("a");
  const keyring = await Keyring.create({ currentId: "k1", keys: { k1: raw } });
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    Uint8Array.fromBase64(raw),
    "AES-GCM",
    false,
    ["encrypt"],
  );
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode("message-1") },
    cryptoKey,
    new TextEncoder().encode("héllo"),
  );
  const b64 = (b: Uint8Array) => b.toBase64({ alphabet: "base64url", omitPadding: true });
  const sealed = `enc1.k1.${b64(iv)}.${b64(new Uint8Array(data))}`;
  assert.equal(await keyring.decrypt(sealed, "message-1"), "héllo");
});
