/**
 * Mentions on the web page, in headless Chromium: Alice writes "@bob…" and the
 * message goes out mentioning Bob, whose page marks it; a name that is no
 * member's mentions nobody.
 * @module
 */
import assert from "node:assert/strict";
import { api } from "../_helpers/client.ts";
import { browserTest, chattingPair, send } from "./_browser.ts";

browserTest("web page: an @name mentions a member", async ({ browser, server }) => {
  const { names: [, bob], pages: [a, b] } = await chattingPair(browser, server.url);
  await send(a, `@${bob.toUpperCase()}. look at this`);
  await send(a, "@nobody_here hello");
  const marked = b.locator("#messages li.mentions-me .content");
  await b.locator("#messages li .content").getByText("@nobody_here hello").waitFor();
  assert.deepEqual(await marked.allTextContents(), [`@${bob.toUpperCase()}. look at this`]);
  assert.equal(await a.locator("#messages li.mentions-me").count(), 0, "not on the sender's page");

  const login = await api(server.url, "POST", "/api/auth/login", {
    body: { username: bob, password: "correct horse battery" },
  });
  const chats = await api(server.url, "GET", "/api/chats", { token: login.body.token });
  const history = await api(server.url, "GET", `/api/chats/${chats.body.chats[0].id}/messages`, {
    token: login.body.token,
  });
  const mentionsOf = (content: string) =>
    history.body.messages.find((m: { content: string }) => m.content === content).mentions;
  assert.deepEqual(mentionsOf(`@${bob.toUpperCase()}. look at this`), [login.body.user.id]);
  assert.equal(mentionsOf("@nobody_here hello"), undefined);
});
