/**
 * Typing in a group on the web page, in headless Chromium: Alice's page shows
 * everyone typing at once, by name, and drops each one who stops, whatever the
 * order. Bob and Carol type through real socket.io clients. Under the title,
 * the page shows who else has the chat open, until another chat opens.
 * @module
 */
import { connect, emitAck, PASSWORD, registerAll, until } from "../_helpers/client.ts";
import { api } from "../_helpers/client.ts";
import { browserTest, logIn } from "./_browser.ts";

browserTest(
  "web page: several members typing at once, and who else is here",
  async ({ browser, server }) => {
    const [alice, bob, carol] = await registerAll(server.url, "alice", "bob", "carol");
    const [b, c] = [bob.user.username, carol.user.username];
    const created = await api(server.url, "POST", "/api/chats", {
      token: alice.token,
      body: { type: "group", name: "club", participantIds: [bob.user.id, carol.user.id] },
    });
    const chatId = created.body.chat.id;
    const page = await (await browser.newContext()).newPage();
    await page.goto(server.url);
    await logIn(page, alice.user.username, { password: PASSWORD });
    await page.locator(`#groups li[data-chat="club"]`).click();
    await page.locator("#chat-title").getByText("# club").waitFor();
    // Typing is told once, to the sockets connected then: wait for the page's.
    await page.locator("#connection").getByText("online").waitFor();
    const typing = page.locator("#typing");
    const [bobSocket, carolSocket] = [
      await connect(server.url, bob.token),
      await connect(server.url, carol.token),
    ];
    try {
      await emitAck(bobSocket, "chat:typing", { chatId });
      await typing.getByText(`${b} is typing…`, { exact: true }).waitFor();
      await emitAck(carolSocket, "chat:typing", { chatId });
      await typing.getByText(`${b} and ${c} are typing…`, { exact: true }).waitFor();
      await emitAck(bobSocket, "chat:stopTyping", { chatId }); // the first one stops first
      await typing.getByText(`${c} is typing…`, { exact: true }).waitFor();
      await emitAck(carolSocket, "chat:stopTyping", { chatId });
      await typing.getByText(/typing/).waitFor({ state: "detached" });

      // Who else has the chat open, under its title: her page opened it on the server.
      const here = page.locator("#here");
      await emitAck(bobSocket, "chat:join", { chatId });
      await here.getByText(`${b} is here`, { exact: true }).waitFor();
      await emitAck(carolSocket, "chat:join", { chatId });
      await here.getByText(`${b}, ${c} are here`, { exact: true }).waitFor();
      await emitAck(bobSocket, "chat:leave", { chatId });
      await here.getByText(`${c} is here`, { exact: true }).waitFor();
      // Another chat opened: the page closes this one on the server.
      await api(server.url, "POST", "/api/chats", {
        token: alice.token,
        body: { type: "group", name: "other", participantIds: [carol.user.id] },
      });
      await page.locator(`#groups li[data-chat="other"]`).click();
      await page.locator("#chat-title").getByText("# other").waitFor();
      await here.getByText(/here/).waitFor({ state: "detached" });
      const left = () =>
        carolSocket.events.some(([e, p]) =>
          e === "user:left" && (p as { userId: string }).userId === alice.user.id
        );
      await until("carol saw alice leave the club", left);
    } finally {
      bobSocket.close();
      carolSocket.close();
    }
  },
);
