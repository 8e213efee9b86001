/**
 * Exactly once as the client sees it, through the SDK, while the cluster fails:
 * three users' `ChatClient`s (reconnecting by themselves) send in a group and a
 * direct chat through the faults of `injectFaults()` (nodes come back on their
 * ports, as behind a balancer). Every `send()` resolves once, each message's
 * handler runs once per recipient and in `seq` order, and history holds every
 * message once. `CHAOS_SEED` replays a run's choices (not its timing).
 */
import assert from "node:assert/strict";
import { ChatClient, type MessageView, RestClient } from "../../src/sdk/mod.ts";
import { fastRetry, history, sleep, until } from "../_helpers/client.ts";
import { AMQP_URL, REDIS_URL, serviceUp } from "../_helpers/services.ts";
import { chaosRun, injectFaults } from "./_chaos.ts";

const up = await serviceUp("Redis", REDIS_URL) && await serviceUp("RabbitMQ", AMQP_URL);
const SENDS_PER_USER = 30;

Deno.test({
  name: "sdk: each message handled once and in order while nodes crash",
  ignore: !up,
  fn: () =>
    chaosRun({}, async ({ rng, cluster, keyPrefix }) => {
      const clients: ChatClient[] = [];
      try {
        const [url0, url1] = [cluster.url(0), cluster.url(1)];
        const tag = crypto.randomUUID().slice(0, 8);
        const accounts = [];
        for (const name of ["alice", "bob", "carol"]) {
          accounts.push(
            await RestClient.register(url0, {
              username: `${name}_${tag}`,
              email: `${name}_${tag}@example.com`,
              password: "correct horse battery",
            }),
          );
        }
        const [alice, bob, carol] = accounts;
        const rest = new RestClient(url0, alice.token);
        await rest.addFriend(bob.user.id);
        const direct = await rest.directChat(bob.user.id);
        const group = await rest.createGroup("chaos", [bob.user.id, carol.user.id]);
        const chatsOf = (i: number) => i === 2 ? [group.id] : [group.id, direct.id];

        /** Per user, every message its `message` handler ran for, in order. */
        const handled: MessageView[][] = accounts.map(() => []);
        accounts.forEach((account, i) => {
          const client = new ChatClient({
            url: i === 1 ? url1 : url0,
            token: account.token,
            // Shorter than a commit under load: sends are retried while their first try is stored.
            ackTimeoutMs: 20,
            socket: fastRetry,
          });
          client.on("message", async (m) => {
            handled[i].push(m);
            await sleep(rng.next() * 5); // a handler that takes a while: acks wait for it
          });
          clients.push(client.connect());
        });
        await until("all connected", () => clients.every((c) => c.connected));

        let faulting = true;
        const sends: Promise<MessageView>[][] = accounts.map(() => []);
        const sender = async (i: number) => {
          for (let k = 0; k < SENDS_PER_USER || faulting; k++) {
            sends[i].push(clients[i].send(rng.pick(chatsOf(i)), `${i}:${k}`));
            await sleep(rng.next() * 150);
          }
        };
        await Promise.all([
          ...accounts.map((_, i) => sender(i)),
          injectFaults({ cluster, rng, keyPrefix }).finally(() => faulting = false),
        ]);

        const stored = await Promise.all(sends.map((list) => Promise.all(list)));
        assert.equal(
          new Set(stored.flat().map((m) => m.id)).size,
          stored.flat().length,
          "every send() resolved with a message of its own",
        );
        for (const [i, account] of accounts.entries()) {
          const expected = stored.flat().filter((m) =>
            m.senderId !== account.user.id && chatsOf(i).includes(m.chatId)
          );
          await until(
            `${account.user.username} handled every message`,
            () => handled[i].length >= expected.length,
            20_000,
          );
          const ids = handled[i].map((m) => m.id);
          assert.equal(new Set(ids).size, ids.length, "each message handled once");
          assert.deepEqual([...ids].sort(), expected.map((m) => m.id).sort(), "what was sent");
          for (const chatId of chatsOf(i)) {
            const seqs = handled[i].filter((m) => m.chatId === chatId).map((m) => m.seq);
            assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), "in seq order");
          }
        }
        for (const chatId of [group.id, direct.id]) {
          const messages = await history(url0, alice.token, chatId);
          const sent = stored.flat().filter((m) => m.chatId === chatId);
          assert.deepEqual(messages.map((m) => m.seq), messages.map((_, i) => i + 1), "seq 1..n");
          assert.deepEqual(
            messages.map((m) => m.id).sort(),
            sent.map((m) => m.id).sort(),
            "each send stored once",
          );
        }
      } finally {
        for (const client of clients) client.close();
      }
    }),
});
