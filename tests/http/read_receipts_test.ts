/**
 * Turning read receipts off through real HTTP and sockets: the setting shows to
 * the user alone; what they read then moves their own unread count and devices
 * but tells the sender only of delivery (ticks, history, per-recipient
 * receipts, the read metric), and they see no reads of their own messages
 * either (ticks, history, search, receipts); turned on again, their next read
 * tells the reads held back too, and they see reads again. A bad body changes
 * nothing.
 */
import assert from "node:assert/strict";
import {
  api,
  directChat,
  history,
  registerAll,
  scrape,
  SocketPool,
  until,
} from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST read receipts: a user reads without telling senders", async (t) => {
  const server = await startTestServer();
  const { url } = server;
  const [alice, bob] = await registerAll(url, "alice", "bob");
  const chatId = await directChat(url, alice, bob);
  const privacy = (body: unknown) =>
    api(url, "PUT", "/api/auth/privacy", { token: alice.token, body });
  const me = async () => (await api(url, "GET", "/api/auth/me", { token: alice.token })).body.user;
  const read = (upToSeq: number) =>
    api(url, "POST", `/api/chats/${chatId}/read`, { token: alice.token, body: { upToSeq } });
  const send = async (token: string, content: string) =>
    (await api(url, "POST", `/api/chats/${chatId}/messages`, { token, body: { content } })).body
      .message;
  const pool = new SocketPool(url);

  try {
    const bobSocket = await pool.open(bob.token);
    const [phone, laptop] = [await pool.open(alice.token), await pool.open(alice.token)];
    const ticks = (messageId: string) =>
      bobSocket.statuses.filter((s) => s.messageId === messageId).map((s) => s.status);
    let first: { id: string; seq: number };
    let ownMessage: { id: string };

    await t.step("turned off: shown to the user alone", async () => {
      const res = await privacy({ readReceipts: false });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.user.readReceipts, false);
      assert.equal(res.body.user.hidePresence, undefined, "the other setting stays");
      assert.equal((await me()).readReceipts, false);
      const seen = await api(url, "GET", `/api/users/${alice.user.id}`, { token: bob.token });
      assert.equal(seen.body.user.readReceipts, undefined);
    });

    await t.step("a read moves alice's count and devices, and tells bob nothing", async () => {
      // Devices that hold their acks: the read is what makes it delivered.
      phone.autoAck = laptop.autoAck = false;
      first = await send(bob.token, "one");
      await until("on alice's phone", () => phone.received.some((m) => m.id === first.id));
      assert.equal((await read(first.seq)).status, 204);
      await until("delivered by the read", () => ticks(first.id).includes("delivered"));
      phone.autoAck = laptop.autoAck = true;
      await until(
        "the laptop heard the read",
        () => laptop.events.some(([name]) => name === "chat:read"),
      );
      const chat =
        (await api(url, "GET", `/api/chats/${chatId}`, { token: alice.token })).body.chat;
      assert.equal(chat.unreadCount, 0);
      // A message from alice after the read: any tick of the read would be there before it.
      await send(alice.token, "after reading");
      await until(
        "bob got it",
        () => bobSocket.received.some((m) => m.content === "after reading"),
      );
      assert.deepEqual(ticks(first.id), ["delivered"]);
      const [stored] = await history(url, bob.token, chatId);
      assert.equal(stored.status, "delivered");
      const receipts = await api(url, "GET", `/api/messages/${first.id}/receipts`, {
        token: bob.token,
      });
      assert.deepEqual(receipts.body.receipts.map((r: { status: string }) => r.status), [
        "delivered",
      ]);
      assert.equal((await scrape(url))("chat_messages_read_total"), 0);
    });

    await t.step("while off, alice sees no reads of her own messages either", async () => {
      const mine = await send(alice.token, "mine");
      const mineTicks = () =>
        phone.statuses.filter((s) => s.messageId === mine.id).map((s) => s.status);
      await until("delivered to bob", () => mineTicks().includes("delivered"));
      const bobRead = await api(url, "POST", `/api/chats/${chatId}/read`, {
        token: bob.token,
        body: { upToSeq: mine.seq },
      });
      assert.equal(bobRead.status, 204);
      const call = async (method: "GET" | "PUT", path: string, body?: unknown) =>
        (await api(url, method, path, { token: alice.token, body })).body;
      const listed = (await call("GET", "/api/chats")).chats[0].lastMessage;
      assert.deepEqual([listed.id, listed.status], [mine.id, "delivered"], "in her chat list");
      const everywhere = [
        (await call("PUT", `/api/messages/${mine.id}`, { content: "mine!" })).message,
        (await call("GET", `/api/chats/${chatId}/changes?afterChangeSeq=0`)).messages[0],
        (await call("PUT", `/api/messages/${mine.id}/star`)).star.message,
        (await call("GET", "/api/starred")).stars[0].message,
        (await call("PUT", `/api/messages/${mine.id}/pin`),
          (await call(
            "GET",
            `/api/chats/${chatId}/pins`,
          )).messages[0]),
      ];
      const retried = (await api(url, "POST", `/api/chats/${chatId}/messages`, {
        token: alice.token,
        body: { content: "mine", clientMsgId: mine.clientMsgId },
      })).body.message;
      const exported = (await (await fetch(`${url}/api/auth/me/export`, {
        headers: { Authorization: `Bearer ${alice.token}` },
      })).text()).trim().split("\n").map((line) => JSON.parse(line))
        .find((r) => r.type === "message" && r.message.id === mine.id).message;
      everywhere.push(retried, exported);
      assert.deepEqual(
        everywhere.map((m) => [m.id, m.status]),
        Array(7).fill([mine.id, "delivered"]),
        "edited, in changes, starred, in stars, pinned, sent again, exported",
      );
      // Bob writes after reading: a tick of his read would reach alice before it.
      await send(bob.token, "seen it");
      await until("alice got it", () => phone.received.some((m) => m.content === "seen it"));
      assert.deepEqual(mineTicks(), ["delivered"]);
      const own = (messages: { id: string; status: string }[]) =>
        messages.find((m) => m.id === mine.id)!.status;
      assert.equal(own((await call("GET", `/api/chats/${chatId}/messages`)).messages), "delivered");
      assert.equal(
        own((await call("GET", `/api/chats/${chatId}/search?q=mine!`)).messages),
        "delivered",
      );
      assert.equal(
        (await call("GET", `/api/messages/${mine.id}/receipts`)).receipts[0].status,
        "delivered",
      );
      const bobSees = (await history(url, bob.token, chatId)).find((m) => m.id === mine.id);
      assert.equal(bobSees.status, "read", "the read itself is stored");
      // Bob's read counts: alice's two messages ("after reading" and this one).
      assert.equal((await scrape(url))("chat_messages_read_total"), 2);
      ownMessage = mine;
    });

    await t.step("turned on again: the next read tells the held-back reads too", async () => {
      const res = await privacy({ readReceipts: true });
      assert.equal(res.body.user.readReceipts, undefined);
      const second = await send(bob.token, "two");
      assert.equal((await read(second.seq)).status, 204);
      await until(
        "bob saw both read",
        () => ticks(first.id).includes("read") && ticks(second.id).includes("read"),
      );
      const statuses = (await history(url, bob.token, chatId))
        .filter((m) => m.senderId === bob.user.id).map((m) => m.status);
      assert.deepEqual(statuses, ["read", "read", "read"]);
      assert.equal((await scrape(url))("chat_messages_read_total"), 5);
      const own = (await history(url, alice.token, chatId)).find((m) => m.id === ownMessage.id);
      assert.equal(own.status, "read", "and alice sees bob's read again");
    });

    await t.step("bad bodies: a clear code, nothing changed", async () => {
      for (const body of [{}, { readReceipts: "no" }, { hidePresence: true, readReceipts: 0 }]) {
        const res = await privacy(body);
        assert.deepEqual([res.status, res.body.error.code], [400, "invalid_payload"]);
      }
      const user = await me();
      assert.deepEqual([user.readReceipts, user.hidePresence], [undefined, undefined]);
      const both = await privacy({ hidePresence: true, readReceipts: false });
      assert.deepEqual([both.body.user.readReceipts, both.body.user.hidePresence], [false, true]);
    });
  } finally {
    pool.closeAll();
    await server.close();
  }
});
