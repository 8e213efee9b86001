/**
 * Typing in a group on the web page, in headless Chromium: Alice's page shows
 * everyone typing at once, by name, and drops each one who stops, whatever the
 * order. Bob and Carol type through real socket.io clients.
 * @module
 */
import { connect, emitAck, PASSWORD, registerAll } from "../_helpers/client.ts";
import { api } from "../_helpers/client.ts";
import { browserTest, logIn } from "./_browser.ts";

browserTest("web page: several members typing at once", async ({ browser, server }) => {
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
  } finally {
    bobSocket.close();
    carolSocket.close();
  }
});
