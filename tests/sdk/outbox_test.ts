/**
 * The outbox in `localStorage` (Deno's, as a browser's), shared by two tabs of
 * one user: each tab saves only its own changes, so one tab's unsent message
 * outlives the other tab's saves, and the next page, or a tab still open on
 * its next connect, sends it, once.
 * @module
 */
import assert from "node:assert/strict";
import { ChatClient, localStorageOutbox, RestClient } from "../../src/sdk/mod.ts";
import { directChat, registerAll, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("sdk: two tabs share an outbox in localStorage", async (t) => {
  // The history is polled until the messages are in: lift the REST budget for it.
  const server = await startTestServer({ API_REQUEST_LIMIT: "100000" });
  const [alice, bob] = await registerAll(server.url, "alice", "bob");
  const chatId = await directChat(server.url, alice, bob);
  const key = `chat.outbox.test.${crypto.randomUUID()}`;
  const tab = () =>
    new ChatClient({ url: server.url, token: alice.token, outbox: localStorageOutbox(key) });
  const stored = () =>
    JSON.parse(localStorage.getItem(key) ?? "[]").map((e: never) => e["content"]);
  const history = async () =>
    (await new RestClient(server.url, alice.token).history(chatId)).messages.map((m) => m.content);
  try {
    await t.step("written offline in two tabs: both kept", () => {
      const [one, two] = [tab(), tab()]; // loaded together, before either wrote
      one.send(chatId, "from tab one").catch(() => {});
      two.send(chatId, "from tab two").catch(() => {});
      assert.deepEqual(stored(), ["from tab one", "from tab two"]);
      one.close(); // closed before it was ever online
      two.close();
    });

    await t.step("the next page sends both, and the outbox empties", async () => {
      const next = tab().connect();
      try {
        assert.equal(next.outbox.length, 2);
        await until("both stored", async () => (await history()).length === 2);
        await until("outbox empty", () => stored().length === 0);
        assert.deepEqual((await history()).sort(), ["from tab one", "from tab two"]);
      } finally {
        next.close();
      }
    });

    await t.step("a tab still open sends what a closed one left, on connect", async () => {
      const [open, closing] = [tab(), tab()];
      closing.send(chatId, "left by a closed tab").catch(() => {});
      closing.close();
      open.connect();
      try {
        await until("sent", async () => (await history()).includes("left by a closed tab"));
        await until("outbox empty", () => stored().length === 0 && open.outbox.length === 0);
      } finally {
        open.close();
      }
    });

    await t.step("an ack in one tab leaves the other tab's entry", async () => {
      const [one, two] = [tab().connect(), tab()];
      await until("connected", () => one.connected); // it took in the outbox then, empty
      two.send(chatId, "waiting in tab two").catch(() => {});
      try {
        const sent = await one.send(chatId, "sent by tab one");
        assert.equal(sent.content, "sent by tab one");
        assert.deepEqual(stored(), ["waiting in tab two"]);
      } finally {
        one.close();
        two.close();
      }
    });
  } finally {
    localStorage.removeItem(key);
    await server.close();
  }
});
