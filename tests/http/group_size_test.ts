/**
 * `MAX_GROUP_SIZE` holds under racing adds: the owner adding friends and
 * strangers joining by a link, all at once, fill a group to its bound and no
 * further; each refused user is told `invalid_payload` and gets no access.
 */
import assert from "node:assert/strict";
import { api, registerAll } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST groups: racing adds and joins stop at MAX_GROUP_SIZE", async () => {
  const server = await startTestServer({ MAX_GROUP_SIZE: "4" });
  const { url } = server;
  try {
    const [alice, bob, ...others] = await registerAll(url, "alice", "bob", ...Array(6).fill("u"));
    for (const other of others.slice(0, 3)) {
      await api(url, "POST", `/api/friends/${other.user.id}`, { token: alice.token });
    }
    // Several rounds: before the store checked the size, each round overfilled the group.
    for (let round = 0; round < 3; round++) {
      const group = { type: "group", name: `club${round}`, participantIds: [bob.user.id] };
      const chatId = (await api(url, "POST", "/api/chats", { token: alice.token, body: group }))
        .body.chat.id;
      const code = (await api(url, "POST", `/api/chats/${chatId}/invite`, { token: alice.token }))
        .body.invite.code;
      const answers = await Promise.all([
        ...others.slice(0, 3).map((other) =>
          api(url, "POST", `/api/chats/${chatId}/participants`, {
            token: alice.token,
            body: { userId: other.user.id },
          })
        ),
        ...others.slice(3).map((other) =>
          api(url, "POST", `/api/invites/${code}/join`, { token: other.token })
        ),
      ]);
      const refused = answers.flatMap((res, i) => res.status === 200 ? [] : [others[i]]);
      assert.equal(refused.length, 4, answers.map((res) => res.status).join(","));
      for (const res of answers.filter((res) => res.status !== 200)) {
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, "invalid_payload");
      }
      const chat = (await api(url, "GET", `/api/chats/${chatId}`, { token: alice.token })).body
        .chat;
      assert.equal(chat.participantIds.length, 4);
      for (const user of refused) {
        assert.ok(!chat.participantIds.includes(user.user.id));
        const read = await api(url, "GET", `/api/chats/${chatId}/messages`, { token: user.token });
        assert.equal(read.status, 403, "a refused user has no access");
      }
    }
  } finally {
    await server.close();
  }
});
