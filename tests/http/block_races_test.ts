/**
 * A block racing requests it forbids: befriending at the same moment as a
 * block never leaves the pair friends (a block ends their friendship).
 */
import assert from "node:assert/strict";
import { api, registerAll } from "../_helpers/client.ts";
import { startTestServer } from "../_helpers/server.ts";

Deno.test("REST blocks: befriending racing a block leaves no friendship", async () => {
  const server = await startTestServer();
  const { url } = server;
  try {
    const [alice, bob] = await registerAll(url, "alice", "bob");
    const friends = async (token: string) =>
      (await api(url, "GET", "/api/friends", { token })).body.friends as { id: string }[];
    // Before the friend request looked again after its write, one round in fifteen ended with
    // the pair blocked and friends.
    for (let round = 0; round < 60; round++) {
      await api(url, "DELETE", `/api/blocks/${alice.user.id}`, { token: bob.token });
      const befriend = () =>
        api(url, "POST", `/api/friends/${bob.user.id}`, { token: alice.token });
      const [block, ...asks] = await Promise.all([
        api(url, "POST", `/api/blocks/${alice.user.id}`, { token: bob.token }),
        befriend(),
        befriend(),
        befriend(),
      ]);
      assert.equal(block.status, 204);
      for (const ask of asks) {
        assert.ok(
          ask.status === 204 || ask.body.error.details.reason === "blocked",
          `${ask.status}`,
        );
      }
      assert.deepEqual(await friends(alice.token), [], `round ${round}: alice's friends`);
      assert.deepEqual(await friends(bob.token), [], `round ${round}: bob's friends`);
    }
  } finally {
    await server.close();
  }
});
