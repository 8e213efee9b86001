/**
 * The alerting rules in `deploy/prometheus/alerts.yml` against a real server on
 * Redis and RabbitMQ: every metric a rule names is one the server exports, with
 * every label the rule selects on, so that renaming one in the code breaks
 * this test rather than an alert that would then never fire. Each rule has an
 * expression, a duration and a severity.
 * @module
 */
import assert from "node:assert/strict";
import { connect, directChat, emitAck, registerAll, until } from "./_helpers/client.ts";
import { startTestServer } from "./_helpers/server.ts";
import { AMQP_URL, REDIS_URL, serviceUp, uniquePrefix } from "./_helpers/services.ts";

const RULES = new URL("../deploy/prometheus/alerts.yml", import.meta.url);
// A metric in an expression, a histogram's series by their base name, and its selector.
const METRIC = /\b(chat_[a-z_]+?)(?:_bucket|_count|_sum)?\b(?:\{([^}]*)\})?/g;

const up = await serviceUp("Redis", REDIS_URL) && await serviceUp("RabbitMQ", AMQP_URL);
Deno.test({
  name: "deploy: the alerting rules use metrics and labels the server exports",
  ignore: !up,
  async fn() {
    const rules = await Deno.readTextFile(RULES);
    const count = (pattern: RegExp) => rules.match(pattern)?.length ?? 0;
    const alerts = count(/^\s+- alert: \w+$/gm);
    assert.ok(alerts >= 5, "the rules are there");
    for (const part of [/^\s+expr: /gm, /^\s+for: \d+m$/gm, /severity: (critical|warning|info)/g]) {
      assert.equal(count(part), alerts, `each rule has ${part.source}`);
    }

    const server = await startTestServer({ REDIS_URL, AMQP_URL, KEY_PREFIX: uniquePrefix() });
    try {
      // A live delivery (latency by path) and a message for a user offline (a publish confirm).
      const [alice, bob, carol] = await registerAll(server.url, "alice", "bob", "carol");
      const [a, b] = [await connect(server.url, alice.token), await connect(server.url, bob.token)];
      const toBob = await directChat(server.url, alice, bob);
      const toCarol = await directChat(server.url, alice, carol);
      await emitAck(a, "message:send", { chatId: toBob, content: "hi", clientMsgId: "live" });
      await emitAck(a, "message:send", { chatId: toCarol, content: "hi", clientMsgId: "later" });
      await until("delivered", () => a.statuses.some((s) => s.status === "delivered"));
      a.close();
      b.close();
      let text = "";
      await until("the live delivery timed", async () => {
        text = await (await fetch(`${server.url}/metrics`)).text();
        return text.includes('chat_delivery_latency_seconds_count{path="live"}');
      });

      const named = [...rules.matchAll(METRIC)];
      assert.ok(named.length >= alerts, "every rule names a metric");
      for (const [, metric, selector = ""] of named) {
        assert.match(text, new RegExp(`^# TYPE ${metric} `, "m"), `${metric} is exported`);
        const series = text.split("\n").filter((l) => l.startsWith(metric) && l.includes("{"));
        for (const [, label] of selector.matchAll(/(\w+)\s*(?:=|!=|=~|!~)\s*"/g)) {
          assert.ok(series.some((l) => l.includes(`${label}="`)), `${metric} has ${label}`);
        }
      }
    } finally {
      await server.close();
    }
  },
});
