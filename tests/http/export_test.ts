/**
 * A copy of a user's data through real HTTP: one JSON record per line, with
 * the account, friends, blocks, chats, every message the user sent in any
 * chat (decrypted; a deleted one as its tombstone; nobody else's) with its
 * files' bytes, stars and logins; over `EXPORT_LIMIT` it is refused with 429 and nothing is read.
 */
import assert from "node:assert/strict";
import type { ExportRecord } from "../../src/protocol/mod.ts";
import { api, directChat, registerAll } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { upload as uploadFile } from "../_helpers/files.ts";

Deno.test("REST export: a user takes a copy of their data", async () => {
  const server = await startTestServer({ EXPORT_LIMIT: "1", RATE_LIMIT_MESSAGES: "1000" });
  const { url } = server;
  const [alice, bob, carol] = await registerAll(url, "alice", "bob", "carol");
  const direct = await directChat(url, alice, bob);
  const group = (await api(url, "POST", "/api/chats", {
    token: alice.token,
    body: { type: "group", name: "club", participantIds: [bob.user.id] },
  })).body.chat.id;
  const send = async (token: string, chatId: string, content: string) =>
    (await api(url, "POST", `/api/chats/${chatId}/messages`, { token, body: { content } })).body
      .message;
  const upload = async (token: string, chatId: string, body: Uint8Array<ArrayBuffer>) =>
    (await uploadFile(url, token, { chatId, name: "n.bin", body })).body.file.id;
  const kept = await send(alice.token, direct, "hello bob");
  const bytes = new Uint8Array([0, 1, 2, 250, 251, 252]);
  const withFile = (await api(url, "POST", `/api/chats/${direct}/messages`, {
    token: alice.token,
    body: { content: "a file", attachments: [await upload(alice.token, direct, bytes)] },
  })).body.message;
  await api(url, "POST", `/api/chats/${group}/messages`, {
    token: bob.token,
    body: { content: "bob's file", attachments: [await upload(bob.token, group, bytes)] },
  });
  const gone = await send(alice.token, group, "oops");
  await send(bob.token, group, "bob's own words");
  await api(url, "DELETE", `/api/messages/${gone.id}`, { token: alice.token });
  await api(url, "PUT", `/api/messages/${kept.id}/star`, { token: alice.token });
  await api(url, "POST", `/api/blocks/${carol.user.id}`, { token: alice.token });
  // More than a page of the store's reads: the copy goes on to the next.
  const more = await Promise.all(
    Array.from({ length: 250 }, (_, i) => send(alice.token, direct, `note ${i}`)),
  );

  try {
    const res = await fetch(`${url}/api/auth/me/export`, {
      headers: { Authorization: `Bearer ${alice.token}` },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/x-ndjson");
    assert.match(res.headers.get("content-disposition") ?? "", /attachment/);
    const text = await res.text();
    assert.ok(text.endsWith("\n"));
    const records = text.trim().split("\n").map((line) => JSON.parse(line) as ExportRecord);
    const of = <T extends ExportRecord["type"]>(type: T) =>
      records.filter((r): r is Extract<ExportRecord, { type: T }> => r.type === type);

    assert.equal(records[0].type, "user");
    assert.equal(of("user")[0].user.email, alice.user.email, "her own view, with her email");
    assert.deepEqual(of("friend").map((r) => r.user.id), [bob.user.id]);
    assert.deepEqual(of("blocked").map((r) => r.userId), [carol.user.id]);
    assert.deepEqual(of("chat").map((r) => r.chat.id).sort(), [direct, group].sort());
    const messages = of("message").map((r) => r.message);
    assert.deepEqual(
      messages.map((m) => m.id).sort(),
      [kept.id, withFile.id, gone.id, ...more.map((m) => m.id)].sort(),
      "all of hers, and only hers",
    );
    assert.equal(messages.find((m) => m.id === kept.id)?.content, "hello bob", "in plain text");
    assert.equal(messages.find((m) => m.id === gone.id)?.deleted, true);
    const files = of("file");
    assert.deepEqual(files.map((r) => [r.messageId, r.file]), [
      [withFile.id, withFile.attachments[0]],
    ], "hers only");
    assert.deepEqual(Uint8Array.fromBase64(files[0].data), bytes);
    const at = records.indexOf(files[0]);
    assert.equal((records[at - 1] as { message?: { id: string } }).message?.id, withFile.id);
    assert.deepEqual(of("star").map((r) => r.messageId), [kept.id]);
    assert.equal(of("session").length, 1);

    const again = await api(url, "GET", "/api/auth/me/export", { token: alice.token });
    assert.equal(again.status, 429);
    assert.equal(again.body.error.code, "rate_limited");
    assert.equal((await api(url, "GET", "/api/auth/me/export")).status, 401);
  } finally {
    await server.close();
  }
});
