/**
 * A copy of a user's data through real HTTP: one JSON record per line, with
 * the account, friends, blocks, chats, every message the user sent in any
 * chat (decrypted; a deleted one as its tombstone; nobody else's), stars and
 * logins; over `EXPORT_LIMIT` it is refused with 429 and nothing is read.
 */
import assert from "node:assert/strict";
import type { ExportRecord } from "../../src/protocol/mod.ts";
import { api, directChat, registerAll } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

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
  const kept = await send(alice.token, direct, "hello bob");
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
      [kept.id, gone.id, ...more.map((m) => m.id)].sort(),
      "all of hers, and only hers",
    );
    assert.equal(messages.find((m) => m.id === kept.id)?.content, "hello bob", "in plain text");
    assert.equal(messages.find((m) => m.id === gone.id)?.deleted, true);
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
