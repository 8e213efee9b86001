/**
 * The SDK's `sessions()` and `endSession()` against a real server: a user sees
 * both of their logins, ends the other one, and that login's `ChatClient` is
 * disconnected and refused, while this one goes on; `exportData()` parses the
 * copy of the user's data and is refused past the export limit.
 */
import assert from "node:assert/strict";
import { ChatClient, RestClient } from "../../src/sdk/mod.ts";
import { fastRetry, PASSWORD, register, until } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";
import { refused } from "./_helpers.ts";

Deno.test("sdk: a user ends another login of theirs", async () => {
  const server = await startTestServer();
  const alice = await register(server.url, "alice");
  const laptop = new RestClient(server.url, alice.token);
  const other = await RestClient.login(server.url, {
    login: alice.user.username,
    password: PASSWORD,
  });
  const phone = new ChatClient({ url: server.url, token: other.token, socket: fastRetry });
  const states: string[] = [];
  phone.on("connection", (state) => void states.push(state));
  try {
    phone.connect();
    await until("the phone connected", () => phone.connected);
    const sessions = await laptop.sessions();
    assert.deepEqual(sessions.map((s) => s.current).sort(), [false, true]);
    const phoneLogin = sessions.find((s) => !s.current)!;
    await laptop.endSession(phoneLogin.id);
    await until("the phone is refused", () => states.at(-1) === "unauthorized", 10_000);
    await assert.rejects(new RestClient(server.url, other.token).me(), refused("unauthorized"));
    assert.deepEqual((await laptop.sessions()).map((s) => s.current), [true]);
    await assert.rejects(laptop.endSession(phoneLogin.id), refused("not_found"));

    // A copy of her data, parsed record by record.
    const records = await laptop.exportData();
    assert.equal(records[0].type, "user");
    assert.deepEqual(records.filter((r) => r.type === "session").length, 1);
    await laptop.exportData();
    await laptop.exportData(); // three: EXPORT_LIMIT's default, an hour
    await assert.rejects(laptop.exportData(), refused("rate_limited"));
  } finally {
    phone.close();
    await server.close();
  }
});
