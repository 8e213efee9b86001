/**
 * The SDK as your app's backend: `AppBackendClient` makes its users' accounts,
 * logs a bot in on a socket, and acts as them with a `RestClient` (`as`),
 * whose REST message calls (`sendMessage`, `editMessage`, `deleteMessage`)
 * any client has too.
 */
import assert from "node:assert/strict";
import { AppBackendClient, ChatClient, ChatClientError, RestClient } from "../../src/sdk/mod.ts";
import { SHARED_SECRET_ENV } from "../_helpers/identity_provider.ts";
import { APP_BACKEND_TOKEN, startTestServer } from "../_helpers/server.ts";
import { register, registerAll, until } from "../_helpers/client.ts";

Deno.test("sdk: the app's backend makes accounts and acts as its users", async (t) => {
  const server = await startTestServer({ ...SHARED_SECRET_ENV, APP_BACKEND_TOKEN });
  const backend = new AppBackendClient(server.url, APP_BACKEND_TOKEN);
  const [shop, ann] = [backend.as("shop"), backend.as("buyer|1")];
  try {
    await t.step("accounts, an order's group, a message sent once", async () => {
      const made = await backend.putUser("shop", { displayName: "Kim's Shop" });
      assert.deepEqual([made.id, made.displayName, made.external], ["shop", "Kim's Shop", true]);
      await backend.putUser("buyer|1");
      const chat = await shop.createGroup("Order 123", ["buyer|1"]);
      const options = { clientMsgId: "order-123-shipped" };
      const sent = await shop.sendMessage(chat.id, "Your order shipped", options);
      const again = await shop.sendMessage(chat.id, "Your order shipped", options);
      assert.equal(again.id, sent.id, "a retry stores nothing new");
      const pdf = new Blob(["%PDF"], { type: "application/pdf" });
      const invoice = await shop.uploadFile(chat.id, pdf);
      await shop.sendMessage(chat.id, "the invoice", { attachments: [invoice.id] });
      const edited = await shop.editMessage(sent.id, "Order 123 shipped");
      assert.equal(edited.content, "Order 123 shipped");

      const page = await ann.history(chat.id);
      assert.deepEqual(page.messages.map((m) => m.content), ["the invoice", "Order 123 shipped"]);
      assert.equal(page.messages[0].attachments?.[0].id, invoice.id);
      assert.deepEqual((await ann.chats()).map((c) => c.id), [chat.id]);
      await shop.deleteMessage(sent.id);
      assert.equal((await ann.history(chat.id)).messages[1].deleted, true);
    });

    await t.step("refused: calls beyond chats, password accounts, another token", async () => {
      const me = await shop.me().catch((e) => e);
      assert.ok(me instanceof ChatClientError);
      assert.equal(me.code, "forbidden");
      assert.match(me.message, /Cannot call \/api\/auth\/me as the app's backend/);
      const carol = await register(server.url, "carol");
      const asCarol = await backend.as(carol.user.id).chats().catch((e) => e);
      assert.equal(asCarol.details?.reason, "password_account");
      const wrong = new AppBackendClient(server.url, "x".repeat(40));
      assert.equal((await wrong.putUser("lee").catch((e) => e)).code, "unauthorized");
    });

    await t.step("a user's own client sends over REST too", async () => {
      const [bob, dan] = await registerAll(server.url, "bob", "dan");
      const rest = new RestClient(server.url, bob.token);
      const group = await rest.createGroup("no socket", [dan.user.id]);
      const sent = await rest.sendMessage(group.id, "from a notification's reply");
      assert.equal(sent.seq, 1);
    });

    await t.step("a bot logged in on a socket answers a user", async () => {
      await backend.putUser("helpdesk", { displayName: "Help desk" });
      const [eve] = await registerAll(server.url, "eve");
      const chat = await backend.as("helpdesk").createGroup("Help", [eve.user.id]);
      const session = await backend.login("helpdesk");
      assert.equal(session.user.id, "helpdesk");
      const bot = new ChatClient({ url: server.url, token: session.token }).connect();
      bot.on("message", (m) => {
        if (m.senderId !== "helpdesk") void bot.send(m.chatId, `you asked: ${m.content}`);
      });
      const rest = new RestClient(server.url, eve.token);
      try {
        await rest.sendMessage(chat.id, "where is my order?");
        const newest = async () => (await rest.history(chat.id)).messages[0];
        await until("the bot's answer", async () => (await newest()).senderId === "helpdesk");
        assert.equal((await newest()).content, "you asked: where is my order?");
      } finally {
        bot.close();
      }
      const refused = await backend.login("nobody").catch((e) => e);
      assert.equal(refused.code, "not_found");
    });

    await t.step("deletes its user's account", async () => {
      await backend.deleteUser("buyer|1");
      await backend.deleteUser("buyer|1");
      assert.equal((await ann.chats().catch((e) => e)).details?.reason, "deleted");
    });
  } finally {
    await server.close();
  }
});
