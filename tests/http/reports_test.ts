/**
 * Reporting through real HTTP: a user reports another, or a message of theirs;
 * the report keeps the message as it was; a repeat returns the first; refused
 * reports store nothing; the operators page through reports with `ADMIN_TOKEN`,
 * and nobody else can (without it, `admin_test.ts` finds no admin route).
 */
import assert from "node:assert/strict";
import { api, directChat, registerAll, scrape } from "../_helpers/client.ts";
import { ADMIN_TOKEN, startTestServer } from "../_helpers/server.ts";

Deno.test("REST reports: users report abuse, operators read it", async (t) => {
  const server = await startTestServer({ ADMIN_TOKEN });
  const { url } = server;
  const [alice, bob, carol] = await registerAll(url, "alice", "bob", "carol");
  const chatId = await directChat(url, alice, bob);
  const sent = await api(url, "POST", `/api/chats/${chatId}/messages`, {
    token: bob.token,
    body: { content: "buy followers now", clientMsgId: "spam-1" },
  });
  const messageId = sent.body.message.id;
  const report = (token: string, body: unknown) =>
    api(url, "POST", "/api/reports", { token, body });
  const admin = (query = "", token = ADMIN_TOKEN) =>
    api(url, "GET", `/api/admin/reports${query}`, { token });
  const first = { userId: bob.user.id, messageId, reason: "spam", note: "  sells followers " };

  try {
    let reportId = "";
    await t.step("a user reports a message of another", async () => {
      const res = await report(alice.token, first);
      assert.equal(res.status, 201);
      const { id, createdAt, ...rest } = res.body.report;
      assert.ok(id && createdAt);
      assert.deepEqual(rest, {
        reporterId: alice.user.id,
        userId: bob.user.id,
        reason: "spam",
        note: "sells followers",
        message: {
          id: messageId,
          chatId,
          seq: 1,
          content: "buy followers now",
          createdAt: sent.body.message.createdAt,
        },
      });
      reportId = id;
    });

    await t.step("reporting it again returns the first report", async () => {
      const again = await report(alice.token, { ...first, reason: "other" });
      assert.equal(again.status, 200);
      assert.equal(again.body.report.id, reportId);
      assert.equal(again.body.report.reason, "spam");
      const metric = await scrape(url);
      assert.equal(metric("chat_reports_total"), 1, "a repeat is not counted");
    });

    await t.step("the report keeps the message after its sender deletes it", async () => {
      const removed = await api(url, "DELETE", `/api/messages/${messageId}`, { token: bob.token });
      assert.equal(removed.status, 204);
      const listed = await admin();
      assert.equal(listed.status, 200);
      assert.equal(listed.body.reports[0].message.content, "buy followers now");
    });

    await t.step("refused reports store nothing", async () => {
      const refusals: [string, unknown, number, string][] = [
        [alice.token, { userId: alice.user.id, reason: "spam" }, 400, "invalid_payload"],
        [alice.token, { ...first, userId: "nobody" }, 404, "not_found"],
        [alice.token, { ...first, messageId: "missing" }, 404, "not_found"],
        [alice.token, { ...first, userId: carol.user.id }, 400, "invalid_payload"],
        [carol.token, first, 403, "forbidden"],
        [alice.token, { ...first, reason: "boring" }, 400, "invalid_payload"],
        [alice.token, { ...first, note: "x".repeat(501) }, 400, "invalid_payload"],
        ["", first, 401, "unauthorized"],
      ];
      for (const [token, body, status, code] of refusals) {
        const res = await report(token, body);
        assert.equal(res.status, status, JSON.stringify(body));
        assert.equal(res.body.error.code, code);
      }
      assert.deepEqual((await admin()).body.reports.map((r: { id: string }) => r.id), [reportId]);
    });

    await t.step("a member added later cannot report what came before", async () => {
      const group = await api(url, "POST", "/api/chats", {
        token: bob.token,
        body: { type: "group", name: "club", participantIds: [alice.user.id] },
      });
      const groupId = group.body.chat.id;
      const say = async (clientMsgId: string) =>
        (await api(url, "POST", `/api/chats/${groupId}/messages`, {
          token: bob.token,
          body: { content: "hello club", clientMsgId },
        })).body.message.id;
      const before = await say("club-1");
      await api(url, "POST", `/api/chats/${groupId}/participants`, {
        token: bob.token,
        body: { userId: carol.user.id },
      });
      const after = await say("club-2");
      const earlier = await report(carol.token, { ...first, messageId: before });
      assert.equal(earlier.status, 404);
      const later = await report(carol.token, { ...first, messageId: after });
      assert.equal(later.status, 201);
    });

    await t.step("operators page through reports, newest first", async () => {
      const byCarol = await report(carol.token, { userId: bob.user.id, reason: "harassment" });
      assert.equal(byCarol.status, 201);
      assert.equal(byCarol.body.report.message, undefined);
      const page = await admin("?limit=1");
      assert.deepEqual(page.body.reports.map((r: { id: string }) => r.id), [
        byCarol.body.report.id,
      ]);
      const rest = await admin(`?limit=5&cursor=${page.body.nextCursor}`);
      assert.equal(rest.body.reports.length, 2);
      assert.equal(rest.body.reports[1].id, reportId, "the oldest last");
      assert.equal(rest.body.nextCursor, null);
      const byAlice = await report(alice.token, { userId: carol.user.id, reason: "other" });
      const ofCarol = await admin(`?userId=${carol.user.id}`);
      assert.deepEqual(ofCarol.body.reports.map((r: { id: string }) => r.id), [
        byAlice.body.report.id,
      ], "one user's reports");
      const ofBob = await admin(`?userId=${bob.user.id}&limit=2`);
      assert.equal(ofBob.body.reports.length, 2);
      assert.ok(ofBob.body.reports.every((r: { userId: string }) => r.userId === bob.user.id));
      const lastOfBob = await admin(`?userId=${bob.user.id}&cursor=${ofBob.body.nextCursor}`);
      assert.deepEqual(lastOfBob.body.reports.map((r: { id: string }) => r.id), [reportId]);
    });

    await t.step("operators resolve a report, which leaves the open queue", async () => {
      const resolve = (id: string, body: unknown, token = ADMIN_TOKEN) =>
        api(url, "PUT", `/api/admin/reports/${id}/resolution`, { token, body });
      const res = await resolve(reportId, { action: "actioned", note: " suspended " });
      assert.equal(res.status, 200);
      const { resolvedAt, ...resolution } = res.body.report.resolution;
      assert.ok(resolvedAt);
      assert.deepEqual(resolution, { action: "actioned", note: "suspended" });
      const ids = async (query: string) =>
        (await admin(query)).body.reports.map((r: { id: string }) => r.id);
      assert.equal((await ids("?status=open")).includes(reportId), false);
      assert.deepEqual(await ids("?status=resolved"), [reportId]);
      assert.ok((await ids("?status=open")).length > 0, "the others stay open");
      assert.equal((await resolve("missing", { action: "dismissed" })).status, 404);
      assert.equal((await resolve(reportId, { action: "ignored" })).status, 400);
      assert.equal((await resolve(reportId, { action: "dismissed" }, alice.token)).status, 401);
      assert.equal((await admin("?status=closed")).status, 400);
    });

    await t.step("only the admin token reads them", async () => {
      for (const token of ["", alice.token, `${ADMIN_TOKEN}x`]) {
        const res = await admin("", token);
        assert.equal(res.status, 401);
        assert.equal(res.body.error.code, "unauthorized");
      }
      assert.equal((await admin("?limit=0")).status, 400);
    });
  } finally {
    await server.close();
  }
});

Deno.test("REST reports: each user files at most REPORT_LIMIT a window", async () => {
  const server = await startTestServer({ ADMIN_TOKEN, REPORT_LIMIT: "2" });
  const { url } = server;
  try {
    const [alice, bob, carol, dave] = await registerAll(url, "alice", "bob", "carol", "dave");
    const report = (token: string, userId: string) =>
      api(url, "POST", "/api/reports", { token, body: { userId, reason: "spam" } });
    assert.equal((await report(alice.token, bob.user.id)).status, 201);
    assert.equal((await report(alice.token, bob.user.id)).status, 200, "a repeat is not counted");
    assert.equal((await report(alice.token, carol.user.id)).status, 201);
    const over = await report(alice.token, dave.user.id);
    assert.equal(over.status, 429);
    assert.equal(over.body.error.code, "rate_limited");
    assert.ok(over.body.error.retryAfterMs > 0);
    assert.equal((await report(bob.token, dave.user.id)).status, 201, "other users may report");
    const listed = await api(url, "GET", "/api/admin/reports", { token: ADMIN_TOKEN });
    const pairs = listed.body.reports.map((r: Record<string, string>) => [r.reporterId, r.userId]);
    const expected = [[bob, dave], [alice, carol], [alice, bob]].map((p) =>
      p.map((u) => u.user.id)
    );
    assert.deepEqual(pairs, expected, "the refused report stored nothing");
  } finally {
    await server.close();
  }
});
